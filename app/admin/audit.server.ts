// The staff audit log: who did what, to which grade or user, when and why. Written in the same
// transaction as the action itself, so an action without its audit row cannot exist.
import type { SessionUser } from "~/auth/session.server";
import type { Tx } from "~/credits/ledger.server";
import { db } from "~/db/client.server";
import type { Prisma } from "~/generated/prisma/client";

export type AuditAction = "job.retry" | "job.cancel" | "credits.adjust";

export async function audit(
  tx: Tx,
  staff: SessionUser,
  entry: { action: AuditAction; gradeId?: string; userId?: string; reason?: string; detail?: Prisma.InputJsonValue },
): Promise<void> {
  await tx.auditEntry.create({ data: { actorId: staff.id, actorEmail: staff.email, ...entry } });
}

export const AUDIT_PAGE = 50;

/** Audit rows newest first, a page at a time. */
export async function listAudit(page: number) {
  const rows = await db().auditEntry.findMany({ orderBy: { id: "desc" }, skip: page * AUDIT_PAGE, take: AUDIT_PAGE + 1 });
  return { rows: rows.slice(0, AUDIT_PAGE).map((row) => ({ ...row, id: row.id.toString() })), hasMore: rows.length > AUDIT_PAGE };
}
