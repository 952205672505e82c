// Faults with real processes and a real database: the worker's connections killed from the database
// side, submissions made while no worker runs, and an AI endpoint that is slow, failing or talking
// garbage for a while. Each case prints its figure (README, "Faults and attacks").
import pg from "pg";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { db } from "~/db/client.server";
import { gradeResultSchema } from "~/grading/result";
import { submitEssay } from "~/grading/submit.server";
import { boss, stopBoss } from "~/queue/boss.server";
import { startWorking } from "../../worker/work";
import { essayInput } from "../fixtures/essays";
import { agree, aiHandlers, type Plan, AI_ENV } from "../mocks/ai";
import { startMockServer } from "../mocks/server";
import { balance, student, waitForGrade } from "../support/grading";
import { startWorker } from "../support/processes";

// For the in-process worker of the last case; spawned workers get their own environment (offline).
Object.assign(process.env, {
  ...AI_ENV,
  GRADER_TIMEOUT_SECONDS: "1",
  GRADE_RETRY_LIMIT: "4",
  GRADE_RETRY_DELAY_SECONDS: "1",
  WORKER_POLL_SECONDS: "0.5",
});

const running: { stop: (signal?: NodeJS.Signals) => Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((proc) => proc.stop()));
});

async function submitMany(count: number) {
  const user = await student(count);
  const gradeIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const essayId = await submitEssay(user.id, essayInput({ title: `Essay ${i}` }));
    gradeIds.push((await db().grade.findFirstOrThrow({ where: { essayId } })).id);
  }
  return { user, gradeIds };
}

describe("the worker's connections killed from the database side", () => {
  it("still picks up the next submission quickly", async () => {
    const worker = await startWorker({ WORKER_POLL_SECONDS: "5" });
    running.push(worker);
    const warm = await submitMany(1);
    await waitForGrade(warm.gradeIds[0]!, ["COMPLETED"]);

    const name = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: inject("serverUrl") });
    await admin.connect();
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'markm8-worker-queue'`,
      [name],
    );
    await admin.end();
    expect(rows[0]!.n).toBeGreaterThan(0);

    // Give the worker a moment to notice, as it would in production between submissions.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const started = Date.now();
    const { gradeIds } = await submitMany(1);
    const grade = await waitForGrade(gradeIds[0]!, ["COMPLETED", "FAILED"], 30_000);
    const seconds = (Date.now() - started) / 1000;
    console.info(`after pg_terminate_backend of the worker's connections, the next grade completed ${seconds.toFixed(2)} s after its submission`);
    expect(grade.status).toBe("COMPLETED");
  });
});

describe("submissions made while no worker runs", () => {
  it("are all graded, once each, when a worker starts", async () => {
    const { user, gradeIds } = await submitMany(40);
    expect(await db().grade.count({ where: { id: { in: gradeIds }, status: "QUEUED" } })).toBe(40);
    const started = Date.now();
    running.push(await startWorker({ WORKER_POLL_SECONDS: "5" }));
    for (const id of gradeIds) expect((await waitForGrade(id, ["COMPLETED", "FAILED"], 60_000)).status).toBe("COMPLETED");
    console.info(`a backlog of 40 made while no worker ran drained ${((Date.now() - started) / 1000).toFixed(1)} s after a worker started`);
    const completions = await db().gradeEvent.groupBy({ by: ["gradeId"], where: { gradeId: { in: gradeIds }, status: "COMPLETED" }, _count: true });
    expect(completions.every((row) => row._count === 1)).toBe(true);
    expect(await db().grade.count({ where: { id: { in: gradeIds }, attempts: 1 } })).toBe(40);
    expect(await balance(user.id)).toEqual({ credits: 0, ledger: 0 });
  });
});

describe("an AI endpoint that is slow, failing or returning garbage for a while", () => {
  const mock = startMockServer();
  afterAll(async () => {
    mock.close();
    await stopBoss(2_000);
  });

  it("delays and retries grades but never corrupts one, and the student sees where it stands", async () => {
    // For the first 2.5 s every model misbehaves in turn: a hang past the timeout, a 500, malformed JSON.
    const until = Date.now() + 2_500;
    const trouble: Plan = (model, call, rubric) => {
      if (Date.now() > until) return agree(model, call, rubric);
      return [{ hang: true } as const, { status: 500 }, { malformed: true } as const][call % 3]!;
    };
    mock.use(...aiHandlers(trouble));
    await startWorking(await boss("worker"));
    const { user, gradeIds } = await submitMany(6);
    const started = Date.now();
    for (const id of gradeIds) {
      const grade = await waitForGrade(id, ["COMPLETED", "FAILED"], 90_000);
      expect(grade.status).toBe("COMPLETED");
      const result = gradeResultSchema.parse(grade.result);
      expect(result.criteria).toHaveLength(5);
      for (const criterion of result.criteria) {
        expect(criterion.score).toBeGreaterThanOrEqual(1);
        expect(criterion.score).toBeLessThanOrEqual(6);
        expect(criterion.strengths.length).toBeGreaterThan(0);
      }
    }
    console.info(`6 grades through a 2.5 s AI outage completed ${((Date.now() - started) / 1000).toFixed(1)} s after submission`);
    const stages = await db().gradeEvent.findMany({ where: { gradeId: { in: gradeIds } }, select: { status: true, stage: true } });
    expect(stages.some((event) => /trying again shortly/.test(event.stage))).toBe(true);
    expect(stages.every((event) => event.stage.length > 0)).toBe(true);
    expect(await balance(user.id)).toEqual({ credits: 0, ledger: 0 });
    expect(await db().ledgerEntry.count({ where: { userId: user.id, reason: "REFUND" } })).toBe(0);
  });
});
