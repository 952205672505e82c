// In a real browser with JavaScript: an essay whose title and text carry HTML and script shows them as
// text, nothing runs, and the app's own scripts work under its Content-Security-Policy.
import { describe, expect, it } from "vitest";
import { essayText } from "../fixtures/essays";
import { browserSuite, chromiumPath, signUp } from "../support/browser";

const app = browserSuite({ worker: {} });

describe.skipIf(!chromiumPath)("script in an essay", () => {
  it("is shown as text and never runs, and the page has no CSP violations", async () => {
    const context = await app.browser.newContext({ baseURL: app.web.url });
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
    await signUp(page, "xss@school.org");
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
