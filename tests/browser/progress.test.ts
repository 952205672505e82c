// With JavaScript, the essay page follows its grade live: the progress bar advances as each grader
// finishes and the result replaces it without a reload. Real web and worker processes; msw plays the
// AI endpoint inside the worker, its three graders answering 0.8, 1.6 and 2.4 s after they are asked.
import { describe, expect, it } from "vitest";
import { essayText } from "../fixtures/essays";
import { AI_ENV } from "../mocks/ai";
import { browserSuite, chromiumPath, signUp } from "../support/browser";

const app = browserSuite({
  worker: {
    env: {
      ...AI_ENV,
      MOCK_AI_LATENCY_MS: "800",
      MOCK_AI_STAGGER_MS: "800",
    },
    options: ["--import", "./tests/mocks/preload.ts"],
  },
});

describe.skipIf(!chromiumPath)("the essay page with JavaScript", () => {
  it("advances the progress bar as graders finish and swaps in the result without reloading", async () => {
    const context = await app.browser.newContext({ baseURL: app.web.url });
    const page = await context.newPage();
    await signUp(page, "live@school.org");
    await page.getByLabel("Title").fill("Live essay");
    await page.getByLabel("Your essay", { exact: true }).fill(essayText(350));
    await page.getByRole("button", { name: /Submit for grading/ }).click();
    await page.waitForURL(/\/essays\/[0-9a-f-]{36}$/);
    await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

    const seen = new Set<string>();
    const stages = new Set<string>();
    const until = Date.now() + 30_000;
    for (;;) {
      const now = await page.evaluate(() => ({
        value: document.querySelector("[role=progressbar]")?.getAttribute("aria-valuenow") ?? null,
        stage: document.querySelector("[data-testid=stage]")?.textContent ?? null,
        done: document.querySelector("[data-testid=grade-result]") !== null,
      }));
      if (now.value !== null) seen.add(now.value);
      if (now.stage !== null) stages.add(now.stage);
      if (now.done) break;
      if (Date.now() > until) throw new Error(`no result after 30 s; progress seen: ${[...seen].join(", ")}`);
      await page.waitForTimeout(50);
    }
    const values = [...seen].map(Number).filter((n) => n > 0 && n < 100);
    expect(values.length).toBeGreaterThanOrEqual(2);
    expect([...stages].some((stage) => /1 of 3 graders finished/.test(stage))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);

    expect(await page.getByText("Offline estimate.").count()).toBe(0);
    expect(await page.getByTestId("agreement").textContent()).toMatch(/3 graders agreed/);
    expect(await page.locator("svg.score-chart circle.chart-grader").count()).toBe(15);
    expect(await page.getByText("Graded", { exact: true }).count()).toBe(1);
    await context.close();
  });
});
