// Moves a grade along: updates its row, appends the timeline event, and NOTIFYs listeners, all in the
// caller's transaction, so a page never hears of a change that did not commit.
import type { GradeStatus, Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/credits/ledger.server";
import { progressEvent, PROGRESS_CHANNEL, type ProgressEvent } from "./progress";

export type Step = { status: GradeStatus; stage: string; progress: number };

export async function publish(tx: Tx, gradeId: string, step: Step, data: Prisma.GradeUpdateInput = {}): Promise<ProgressEvent> {
  await tx.grade.update({ where: { id: gradeId }, data: { ...data, ...step } });
  const event = await tx.gradeEvent.create({ data: { gradeId, ...step }, select: { id: true } });
  const payload = progressEvent(gradeId, { id: event.id, ...step });
  await tx.$executeRaw`SELECT pg_notify(${PROGRESS_CHANNEL}, ${JSON.stringify(payload)})`;
  return payload;
}
