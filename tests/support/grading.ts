// Helpers for tests of the grading pipeline: students with a known balance, and waiting on grades.
import { createUser } from "~/auth/user.server";
import { applyOnce } from "~/credits/ledger.server";
import { db } from "~/db/client.server";
import type { GradeStatus } from "~/generated/prisma/enums";
import { PASSWORD } from "./http";

let next = 0;

/** A student with exactly `credits` credits (starter credits adjusted through the ledger). */
export async function student(credits = 3, email = `student${++next}-${Date.now()}@school.org`) {
  const user = await createUser(email, PASSWORD);
  const current = (await db().user.findUniqueOrThrow({ where: { id: user.id } })).credits;
  if (current !== credits) {
    await db().$transaction((tx) =>
      applyOnce(tx, { userId: user.id, amount: credits - current, reason: "ADJUSTMENT", reference: `test-${user.id}`, note: "test balance" }),
    );
  }
  return { id: user.id, email };
}

/** Polls until the grade reaches one of `statuses`; returns it. */
export async function waitForGrade(gradeId: string, statuses: GradeStatus[] = ["COMPLETED", "FAILED"], timeoutMs = 45_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const grade = await db().grade.findUnique({ where: { id: gradeId } });
    if (grade && statuses.includes(grade.status)) return grade;
    if (Date.now() > until) throw new Error(`grade ${gradeId} is ${grade?.status ?? "missing"} after ${timeoutMs} ms, not ${statuses.join(" or ")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The user's balance and the sum of their ledger, which must always be equal. */
export async function balance(userId: string) {
  const [user, sum] = await Promise.all([
    db().user.findUniqueOrThrow({ where: { id: userId }, select: { credits: true } }),
    db().ledgerEntry.aggregate({ where: { userId }, _sum: { amount: true } }),
  ]);
  return { credits: user.credits, ledger: sum._sum.amount ?? 0 };
}

export const gradeIdOf = async (essayId: string) => (await db().grade.findFirstOrThrow({ where: { essayId } })).id;
