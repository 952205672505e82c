// Every change of a balance: the user's `credits` column and a ledger row, written together inside
// the caller's transaction, so the balance always equals the sum of the ledger. A (reason, reference)
// pair is unique, so a grade is charged once and refunded once, a purchase credited once.
import { db } from "~/db/client.server";
import type { LedgerReason, Prisma } from "~/generated/prisma/client";

export type Tx = Prisma.TransactionClient;

export class NoCreditsError extends Error {
  constructor(readonly balance: number) {
    super(balance < 0 ? "negative balance" : "no credits left");
  }
}

/** Takes one credit for grading `gradeId`; throws NoCreditsError (writing nothing) when the balance is below one. */
export async function chargeGrade(tx: Tx, userId: string, gradeId: string): Promise<void> {
  // The condition and the decrement are one statement, so concurrent charges can never overdraw.
  const charged = await tx.$executeRaw`
    UPDATE users SET credits = credits - 1, updated_at = now() WHERE id = ${userId}::uuid AND credits >= 1`;
  if (charged === 0) {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { credits: true } });
    throw new NoCreditsError(user?.credits ?? 0);
  }
  await tx.ledgerEntry.create({ data: { userId, amount: -1, reason: "GRADE", reference: gradeId } });
}

type Entry = { userId: string; amount: number; reason: LedgerReason; reference: string; note?: string; actorId?: string };

/**
 * Applies `entry` unless an entry with its reason and reference exists already; returns whether it
 * was applied. Safe under concurrency and replays: the unique index decides, and the loser writes nothing.
 */
export async function applyOnce(tx: Tx, entry: Entry): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO ledger_entries (user_id, amount, reason, reference, note, actor_id)
    VALUES (${entry.userId}::uuid, ${entry.amount}, ${entry.reason}::"LedgerReason", ${entry.reference},
            ${entry.note ?? null}, ${entry.actorId ?? null}::uuid)
    ON CONFLICT (reason, reference) DO NOTHING`;
  if (inserted === 0) return false;
  await tx.$executeRaw`
    UPDATE users SET credits = credits + ${entry.amount}, updated_at = now() WHERE id = ${entry.userId}::uuid`;
  return true;
}

/** Gives back the credit taken for `gradeId`, once, however often it is asked. */
export function refundGrade(tx: Tx, userId: string, gradeId: string): Promise<boolean> {
  return applyOnce(tx, { userId, amount: 1, reason: "REFUND", reference: gradeId, note: "Grading failed" });
}

/** The user's ledger, newest first: what a student reads as their credit history. */
export function history(userId: string, take = 100) {
  return db().ledgerEntry.findMany({
    where: { userId },
    orderBy: { id: "desc" },
    take,
    select: { id: true, amount: true, reason: true, reference: true, note: true, createdAt: true },
  });
}
