// Support in a real browser: staff sign in, find a failed job, retry it, and watch the grade complete.
// Real web and worker processes; msw inside the worker answers 503 while a flag file exists.
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { submitEssay } from "~/grading/submit.server";
import { essayInput } from "../fixtures/essays";
import { AI_ENV } from "../mocks/ai";
import { browserSuite, chromiumPath, signUp } from "../support/browser";
import { student, waitForGrade } from "../support/grading";
import { PASSWORD } from "../support/http";
import { staffVisitor } from "../support/staff";

const downFile = path.join(tmpdir(), `markm8-ai-down-${process.pid}`);
const app = browserSuite({
  worker: {
    env: {
      ...AI_ENV,
      GRADE_RETRY_LIMIT: "0",
      WORKER_POLL_SECONDS: "0.5",
      MOCK_AI_DOWN_FILE: downFile,
    },
    options: ["--import", "./tests/mocks/preload.ts"],
  },
});

afterAll(() => rm(downFile, { force: true }));

describe.skipIf(!chromiumPath).each([
  { javaScriptEnabled: true, name: "with JavaScript" },
  { javaScriptEnabled: false, name: "without JavaScript" },
])("support $name", ({ javaScriptEnabled }) => {
  it("finds a failed job, retries it and sees the grade complete", async () => {
    await writeFile(downFile, "down");
    const owner = await student(2);
    const essayId = await submitEssay(owner.id, essayInput({ title: `Failed essay ${javaScriptEnabled}` }));
    const { id } = await db().grade.findFirstOrThrow({ where: { essayId } });
    await waitForGrade(id, ["FAILED"]);
    await rm(downFile);

    const staff = await staffVisitor(app.web.url);
    const context = await app.browser.newContext({ javaScriptEnabled, baseURL: app.web.url });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill(staff.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("link", { name: "Admin" }).first().click();
    await page.getByRole("link", { name: "failed jobs" }).click();
    await page.getByRole("search").getByRole("searchbox").fill(owner.email);
    await page.getByRole("button", { name: "Filter" }).click();
    const row = page.getByTestId("job-row").filter({ hasText: `Failed essay ${javaScriptEnabled}` });
    await row.getByRole("link", { name: id.slice(0, 8) }).click();
    await page.getByText("endpoint answered 503").first().waitFor();
    await page.getByRole("button", { name: "Retry this job" }).click();
    await page.getByText("Retried: the job is back in the queue.").waitFor();

    await page.getByRole("link", { name: "the student's page" }).click();
    await page.getByTestId("grade-result").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("agreement").textContent()).toMatch(/3 graders agreed/);
    await context.close();
  });
});
