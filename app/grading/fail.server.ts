// Giving up on a grade: FAILED with a reason the student can read, and the credit refunded, exactly
// once however many times it runs. Used when a job runs out of retries (the worker's dead-letter
// handler) and when staff cancel a queued job.
import { refundGrade, type Tx } from "~/credits/ledger.server";
import { db } from "~/db/client.server";
import { publish } from "./publish.server";

export const FAILED_REASON =
  "The graders could not produce a reliable grade for this essay after several tries. Your credit has been refunded; support can retry it.";

/**
 * Fails `gradeId` and refunds its credit, inside `tx` when given; returns whether a refund was made now.
 * A completed grade stays completed.
 */
export async function failGrade(gradeId: string, reason = FAILED_REASON, within?: Tx): Promise<boolean> {
  const run = async (tx: Tx) => {
    // Lock the row so a concurrent run waits, then sees FAILED.
    const [row] = await tx.$queryRaw<{ status: string; user_id: string }[]>`
      SELECT g.status, e.user_id FROM grades g JOIN essays e ON e.id = g.essay_id WHERE g.id = ${gradeId}::uuid FOR UPDATE OF g`;
    if (!row || row.status === "COMPLETED") return false;
    if (row.status !== "FAILED") {
      await publish(tx, gradeId, { status: "FAILED", stage: "Grading failed", progress: 100 }, { error: reason, finishedAt: new Date() });
    }
    return refundGrade(tx, row.user_id, gradeId);
  };
  return within ? run(within) : db().$transaction(run);
}
