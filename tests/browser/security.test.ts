// In a real browser with JavaScript: an essay whose title and text carry HTML and script shows them as
// text, nothing runs, and the app's own scripts work under its Content-Security-Policy.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { essayText } from "../fixtures/essays";
import { chromiumPath, launchBrowser } from "../support/browser";
import { PASSWORD } from "../support/http";
import { startWeb, startWorker, type Running } from "../support/processes";

let web: Running;
let worker: Awaited<ReturnType<typeof startWorker>>;
let browser: Browser;
beforeAll(async () => {
  if (!chromiumPath) return;
  web = await startWeb();
  worker = await startWorker();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await web?.stop();
});

describe.skipIf(!chromiumPath)("script in an essay", () => {
  it("is shown as text and never runs, and the page has no CSP violations", async () => {
    const context = await browser.newContext({ baseURL: web.url });
    const page = await context.newPage();
    const dialogs: string[] = [];
    const violations: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto("/signup");
    await page.getByLabel("Email").fill("xss@school.org");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL("**/essays/new");
    const title = `<img src=x onerror=alert('title')><script>alert('t')</script>`;
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Your essay", { exact: true }).fill(`<script>alert('body')</script>\n\n${essayText(300)}`);
    await page.getByRole("button", { name: /Submit for grading/ }).click();
    await page.waitForURL(/\/essays\/[0-9a-f-]{36}$/);
    await page.getByTestId("grade-result").waitFor({ timeout: 30_000 });
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(title);
    expect(await page.locator(".essay-body").textContent()).toContain("<script>alert('body')</script>");
    await page.getByRole("link", { name: "My essays" }).first().click();
    await page.getByRole("link", { name: title }).waitFor();
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  });
});
