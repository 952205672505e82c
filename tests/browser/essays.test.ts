// A student signs up, submits an essay and reads the graded result (offline estimator, nothing
// configured), in a real browser with JavaScript on and off, against real web and worker processes.
import { describe, expect, it } from "vitest";
import { essayText } from "../fixtures/essays";
import { browserSuite, chromiumPath, signUp } from "../support/browser";

const app = browserSuite({ worker: { env: { OPENAI_API_KEY: "" } } });

describe.skipIf(!chromiumPath).each([
  { javaScriptEnabled: true, name: "with JavaScript" },
  { javaScriptEnabled: false, name: "without JavaScript" },
])("submitting an essay $name", ({ javaScriptEnabled }) => {
  it("keeps the text through a rejected form, then shows the graded result, marked as an offline estimate", async () => {
    const context = await app.browser.newContext({ javaScriptEnabled, baseURL: app.web.url });
    const page = await context.newPage();
    await signUp(page, `essayist-${javaScriptEnabled}@school.org`);

    const short = "Too short to grade, but kept exactly as typed.";
    await page.getByLabel("Title").fill("My first essay");
    await page.getByLabel("Your essay", { exact: true }).fill(short);
    if (javaScriptEnabled) {
      expect(await page.getByTestId("word-count").textContent()).toContain("9 words");
    } else {
      expect(await page.getByTestId("word-count").count()).toBe(0);
    }
    await page.getByRole("button", { name: /Submit for grading/ }).click();
    await page.getByText("The essay has 9 words; it needs at least 150.").waitFor();
    expect(await page.getByLabel("Your essay", { exact: true }).inputValue()).toBe(short);
    expect(await page.getByLabel("Title").inputValue()).toBe("My first essay");

    await page.getByLabel("Your essay", { exact: true }).fill(essayText(400));
    if (javaScriptEnabled) expect(await page.getByTestId("word-count").textContent()).toMatch(/^4\d\d words$/);
    await page.getByRole("button", { name: /Submit for grading/ }).click();
    await page.waitForURL(/\/essays\/[0-9a-f-]{36}$/);

    // The page reaches the result by itself: live with JavaScript, by refreshing without.
    await page.getByTestId("grade-result").waitFor({ timeout: 30_000 });
    expect(await page.getByText("Offline estimate.").count()).toBe(1);
    expect(Number(await page.getByTestId("overall").textContent())).toBeGreaterThan(0);
    expect(await page.locator("svg.score-chart rect.chart-bar").count()).toBe(5);
    expect(await page.getByTestId("balance").textContent()).toBe("2");

    await page.getByRole("link", { name: "My essays" }).first().click();
    await page.getByRole("cell", { name: /My first essay/ }).waitFor();
    expect(await page.getByText("Graded").count()).toBe(1);
    await context.close();
  });
});
