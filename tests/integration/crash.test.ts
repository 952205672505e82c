// A worker process killed with SIGKILL in the middle of a grading: pg-boss notices the missing
// heartbeat and another worker completes the grade. No grade is lost or charged twice.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { submitEssay } from "~/grading/submit.server";
import { essayInput } from "../fixtures/essays";
import { AI_ENV } from "../mocks/ai";
import { balance, student, waitForGrade } from "../support/grading";
import { startWorker } from "../support/processes";

const aiEnv = (latencyMs: number) => ({
  ...AI_ENV,
  MOCK_AI_LATENCY_MS: String(latencyMs),
  WORKER_POLL_SECONDS: "1",
});
const preload = ["--import", "./tests/mocks/preload.ts"];
const running: { stop: (signal?: NodeJS.Signals) => Promise<unknown> }[] = [];
afterAll(async () => {
  await Promise.all(running.map((proc) => proc.stop("SIGKILL")));
});

describe("a worker killed mid-grade", () => {
  it("loses no grade: another worker completes it after the heartbeat lapses", async () => {
    const slow = await startWorker(aiEnv(30_000), preload);
    running.push(slow);
    const user = await student(2);
    const essayId = await submitEssay(user.id, essayInput());
    const { id } = await db().grade.findFirstOrThrow({ where: { essayId } });
    await waitForGrade(id, ["PROCESSING"], 15_000);

    slow.child.kill("SIGKILL");
    const killedAt = Date.now();
    const rescuer = await startWorker(aiEnv(0), preload);
    running.push(rescuer);

    const grade = await waitForGrade(id, ["COMPLETED", "FAILED"], 60_000);
    const recoverySeconds = (Date.now() - killedAt) / 1000;
    console.info(`grade recovered ${recoverySeconds.toFixed(1)} s after SIGKILL (heartbeat 10 s)`);
    expect(grade.status).toBe("COMPLETED");
    expect(grade.attempts).toBe(2);
    expect(await balance(user.id)).toEqual({ credits: 1, ledger: 1 });
    expect(await db().ledgerEntry.count({ where: { userId: user.id, reason: "REFUND" } })).toBe(0);
  });
});
