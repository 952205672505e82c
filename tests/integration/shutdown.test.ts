// SIGTERM to real processes: the web process ends its event streams and exits; the worker finishes the
// grading in hand, or, past its deadline, exits and leaves the grading to pg-boss's retry.
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { submitEssay } from "~/grading/submit.server";
import { essayInput } from "../fixtures/essays";
import { AI_ENV } from "../mocks/ai";
import { balance, student, waitForGrade } from "../support/grading";
import { PASSWORD, Visitor } from "../support/http";
import { startWeb, startWorker } from "../support/processes";
import { openStream } from "../support/sse";

const preload = ["--import", "./tests/mocks/preload.ts"];
const ai = (latencyMs: number, shutdownSeconds: number) => ({
  ...AI_ENV,
  MOCK_AI_LATENCY_MS: String(latencyMs),
  WORKER_SHUTDOWN_SECONDS: String(shutdownSeconds),
  WORKER_POLL_SECONDS: "1",
});

async function queuedGrade(credits = 2) {
  const user = await student(credits);
  const essayId = await submitEssay(user.id, essayInput());
  const { id } = await db().grade.findFirstOrThrow({ where: { essayId } });
  return { user, essayId, gradeId: id };
}

describe("SIGTERM", () => {
  it("makes the web process end its event streams, release everything and exit 0", async () => {
    const web = await startWeb();
    const { user, essayId } = await queuedGrade();
    const visitor = new Visitor(web.url);
    await visitor.post("/login", { email: user.email, password: PASSWORD });
    const stream = await openStream(visitor, `/essays/${essayId}/events`);
    const first = await stream.next();
    expect(first.json.status).toBe("queued");
    expect(stream.raw()).toMatch(/^retry: \d+$/m);

    const started = Date.now();
    const code = await web.stop("SIGTERM");
    await stream.closed;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(web.output()).toContain("web stopped");
    const name = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    // Backends leave pg_stat_activity a moment after their client disconnects.
    let left: { app: string }[] = [];
    for (let i = 0; i < 30; i++) {
      left = await db().$queryRaw<{ app: string }[]>`
        SELECT application_name AS app FROM pg_stat_activity WHERE datname = ${name} AND application_name LIKE 'markm8-web%'`;
      if (left.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(left).toEqual([]);
  });

  it("lets the worker finish the grading in hand before it exits", async () => {
    const worker = await startWorker(ai(1_500, 20), preload);
    const { user, gradeId } = await queuedGrade();
    await waitForGrade(gradeId, ["PROCESSING"], 15_000);
    expect(await worker.stop("SIGTERM")).toBe(0);
    const grade = await db().grade.findUniqueOrThrow({ where: { id: gradeId } });
    expect(grade.status).toBe("COMPLETED");
    expect(worker.output()).toContain("worker stopped");
    expect(await balance(user.id)).toEqual({ credits: 1, ledger: 1 });
  });

  it("exits at its deadline with a grading cut short, which pg-boss retries on another worker", async () => {
    const slow = await startWorker(ai(60_000, 1), preload);
    const { user, gradeId } = await queuedGrade();
    await waitForGrade(gradeId, ["PROCESSING"], 15_000);
    const stopping = Date.now();
    expect(await slow.stop("SIGTERM")).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(8_000);
    expect((await db().grade.findUniqueOrThrow({ where: { id: gradeId } })).status).not.toBe("COMPLETED");

    const rescuer = await startWorker(ai(0, 5), preload);
    try {
      const grade = await waitForGrade(gradeId, ["COMPLETED", "FAILED"], 60_000);
      expect(grade.status).toBe("COMPLETED");
      expect(grade.attempts).toBe(2);
      expect(await balance(user.id)).toEqual({ credits: 1, ledger: 1 });
    } finally {
      await rescuer.stop();
    }
  });
});
