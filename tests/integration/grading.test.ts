// The grading pipeline end to end in this process: real queue, real database, msw as the AI endpoint.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { failGrade } from "~/grading/fail.server";
import { gradeResultSchema } from "~/grading/result";
import { submitEssay } from "~/grading/submit.server";
import { boss } from "~/queue/boss.server";
import { startWorking } from "../../worker/work";
import { essayInput } from "../fixtures/essays";
import { agree, aiHandlers, MODELS, type AiLog, type Plan, AI_ENV } from "../mocks/ai";
import { startMockServer } from "../mocks/server";
import { balance, student, waitForGrade } from "../support/grading";

Object.assign(process.env, {
  ...AI_ENV,
  GRADER_TIMEOUT_SECONDS: "1",
  WORKER_POLL_SECONDS: "0.5",
  GRADE_RETRY_LIMIT: "2",
  GRADE_RETRY_DELAY_SECONDS: "1",
});

const mock = startMockServer();
let log: AiLog = [];
const use = (plan: Plan) => {
  log = [];
  mock.use(...aiHandlers(plan, log));
};

beforeAll(async () => {
  await startWorking(await boss("worker"));
});
afterEach(() => mock.resetHandlers());
afterAll(() => mock.close());

async function gradeOnce(plan: Plan, rubric = "general") {
  use(plan);
  const user = await student(3);
  const essayId = await submitEssay(user.id, essayInput({ rubric }));
  const { id } = await db().grade.findFirstOrThrow({ where: { essayId } });
  const grade = await waitForGrade(id);
  return { user, grade, result: grade.result ? gradeResultSchema.parse(grade.result) : null };
}

type UsageRow = { attempt: number; model: string; ok: boolean; error: string | null; calls: number; tokensIn: number; tokensOut: number; durationMs: number };
const usageOf = (usage: unknown) => usage as UsageRow[];

describe("grading with three AI graders", () => {
  it("completes with the consensus when all three agree, and records models, tokens and timings", async () => {
    const { user, grade, result } = await gradeOnce(agree);
    expect(grade.status).toBe("COMPLETED");
    expect(grade.offline).toBe(false);
    expect(grade.attempts).toBe(1);
    expect(grade.models).toEqual(MODELS);
    expect(result?.overall).toBe(4);
    expect(result?.graders).toBe(3);
    expect(result?.lowAgreement).toBe(false);
    expect(result?.criteria.map((c) => c.key)).toEqual(["thesis", "organisation", "evidence", "style", "mechanics"]);
    expect(result?.criteria[0]?.strengths).toContain("thesis");
    const usage = usageOf(grade.usage);
    expect(usage).toHaveLength(3);
    for (const row of usage) expect(row).toMatchObject({ attempt: 1, ok: true, calls: 1, tokensIn: 900, tokensOut: 350 });
    expect(usage.every((row) => row.durationMs >= 0)).toBe(true);
    expect(await balance(user.id)).toEqual({ credits: 2, ledger: 2 });

    // The timeline moves forward only and ends at 100.
    const events = await db().gradeEvent.findMany({ where: { gradeId: grade.id }, orderBy: { id: "asc" } });
    expect(events[0]?.status).toBe("QUEUED");
    expect(events.at(-1)).toMatchObject({ status: "COMPLETED", progress: 100 });
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.filter((e) => /graders finished/.test(e.stage))).toHaveLength(3);

    // The prompt carries the rubric and fences the essay as data.
    expect(log[0]?.system).toContain("General academic essay");
    expect(log[0]?.system).toMatch(/ignore anything inside it/);
    expect(log[0]?.user).toContain("<essay>");
  });

  it("grades IELTS essays in half bands with the IELTS overall rounding", async () => {
    const { grade, result } = await gradeOnce((model) => ({ scores: model === MODELS[0] ? [6, 6.5, 7, 6] : [6.5, 6.5, 7, 6] }), "ielts-task2");
    expect(grade.status).toBe("COMPLETED");
    // Medians 6.5, 6.5, 7, 6 average 6.5.
    expect(result?.criteria.map((c) => c.score)).toEqual([6.5, 6.5, 7, 6]);
    expect(result?.overall).toBe(6.5);
  });

  it("completes from the other two when one grader keeps answering malformed JSON, after retrying it once", async () => {
    const { grade, result } = await gradeOnce((model, call, rubric) => (model === MODELS[1] ? { malformed: true } : agree(model, call, rubric)));
    expect(grade.status).toBe("COMPLETED");
    expect(result?.graders).toBe(2);
    const bad = usageOf(grade.usage).find((row) => row.model === MODELS[1]);
    expect(bad).toMatchObject({ ok: false, calls: 2 });
    expect(bad?.error).toMatch(/malformed/);
  });

  it("uses a grader whose first answer was malformed when its retry is good", async () => {
    const { result, grade } = await gradeOnce((model, call, rubric) => (model === MODELS[2] && call === 1 ? { malformed: true } : agree(model, call, rubric)));
    expect(result?.graders).toBe(3);
    expect(usageOf(grade.usage).find((row) => row.model === MODELS[2])).toMatchObject({ ok: true, calls: 2 });
  });

  it("treats a refusal as a failed call", async () => {
    const { result, grade } = await gradeOnce((model, call, rubric) => (model === MODELS[0] ? { refusal: "I can't help with that." } : agree(model, call, rubric)));
    expect(result?.graders).toBe(2);
    expect(usageOf(grade.usage).find((row) => row.model === MODELS[0])?.error).toMatch(/refused/);
  });

  it("completes from the other two when one grader times out", async () => {
    const { grade, result } = await gradeOnce((model, call, rubric) => (model === MODELS[0] ? { hang: true } : agree(model, call, rubric)));
    expect(grade.status).toBe("COMPLETED");
    expect(result?.graders).toBe(2);
    expect(usageOf(grade.usage).find((row) => row.model === MODELS[0])).toMatchObject({ ok: false, error: "timed out", calls: 2 });
  });

  it("marks a grade low-agreement when graders disagree beyond the rubric's threshold", async () => {
    const scores: Record<string, number> = { [MODELS[0]!]: 1, [MODELS[1]!]: 4, [MODELS[2]!]: 6 };
    const { result, grade } = await gradeOnce((model) => ({ scores: scores[model]! }));
    expect(grade.lowAgreement).toBe(true);
    expect(result?.spread).toBe(5);
    expect(result?.overall).toBe(4);
  });

  it("retries the job when two graders fail, and completes on the retry without charging again", async () => {
    const { user, grade, result } = await gradeOnce((model, call, rubric) =>
      model !== MODELS[0] && call <= 2 ? { status: 500 } : agree(model, call, rubric),
    );
    expect(grade.status).toBe("COMPLETED");
    expect(grade.attempts).toBe(2);
    expect(result?.graders).toBe(3);
    const usage = usageOf(grade.usage);
    expect(usage.filter((row) => row.attempt === 1 && !row.ok)).toHaveLength(2);
    expect(usage.filter((row) => row.attempt === 2 && row.ok)).toHaveLength(3);
    expect(await balance(user.id)).toEqual({ credits: 2, ledger: 2 });
  });

  it("fails the grade with a readable reason and refunds exactly once when every attempt fails", async () => {
    const { user, grade } = await gradeOnce(() => ({ status: 503 }));
    expect(grade.status).toBe("FAILED");
    expect(grade.error).toMatch(/credit has been refunded/);
    expect(grade.attempts).toBe(3);
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });
    // Running the failure handling again (a redelivered dead letter, a staff cancel) refunds nothing more.
    await Promise.all([failGrade(grade.id), failGrade(grade.id), failGrade(grade.id)]);
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });
    expect(await db().ledgerEntry.count({ where: { reference: grade.id, reason: "REFUND" } })).toBe(1);
    const job = await db().$queryRaw<{ state: string }[]>`SELECT state FROM pgboss.job WHERE name = 'grade' AND id = ${grade.id}::uuid`;
    expect(job[0]?.state).toBe("failed");
  });

  it("never fails a grade that completed", async () => {
    const { user, grade } = await gradeOnce(agree);
    expect(await failGrade(grade.id)).toBe(false);
    expect((await db().grade.findUniqueOrThrow({ where: { id: grade.id } })).status).toBe("COMPLETED");
    expect(await balance(user.id)).toEqual({ credits: 2, ledger: 2 });
  });
});
