// What support sees and does about grading jobs: queue health, failed and stuck jobs joined to their
// grade, essay and student, and the actions (retry, cancel, adjust credits). Retrying uses pg-boss's
// `retry` on the original failed job, never dead-letter `redrive` (docs/decisions/007-staff-retry.md).
import { randomUUID } from "node:crypto";
import { fromPrisma } from "pg-boss";
import type { SessionUser } from "~/auth/session.server";
import { applyOnce } from "~/credits/ledger.server";
import { db } from "~/db/client.server";
import { Prisma } from "~/generated/prisma/client";
import { failGrade } from "~/grading/fail.server";
import { publish } from "~/grading/publish.server";
import { isUuid } from "~/ids";
import { boss, GRADE_QUEUE } from "~/queue/boss.server";
import { audit } from "./audit.server";
import type { JobFilter } from "./jobs";

export const JOB_PAGE = 50;

/** An active job past its expiry, or whose worker stopped sending heartbeats. */
const STUCK = Prisma.sql`(j.state = 'active' AND (
  j.started_on + make_interval(secs => j.expire_seconds) < now()
  OR (j.heartbeat_seconds IS NOT NULL AND COALESCE(j.heartbeat_on, j.started_on) + make_interval(secs => j.heartbeat_seconds) < now())))`;

const FILTERS: Record<JobFilter, Prisma.Sql> = {
  problems: Prisma.sql`(j.state = 'failed' OR ${STUCK})`,
  failed: Prisma.sql`j.state = 'failed'`,
  stuck: STUCK,
  queued: Prisma.sql`j.state IN ('created', 'retry')`,
  active: Prisma.sql`j.state = 'active'`,
  completed: Prisma.sql`j.state IN ('completed', 'cancelled')`,
  all: Prisma.sql`TRUE`,
};

export type JobRow = {
  id: string;
  state: string;
  stuck: boolean;
  retryCount: number;
  retryLimit: number;
  createdOn: Date;
  startedOn: Date | null;
  completedOn: Date | null;
  output: unknown;
  gradeStatus: string | null;
  attempts: number | null;
  gradeError: string | null;
  essayId: string | null;
  title: string | null;
  email: string | null;
  userId: string | null;
};

const SELECT = Prisma.sql`
  SELECT j.id::text, j.state::text, ${STUCK} AS stuck, j.retry_count AS "retryCount", j.retry_limit AS "retryLimit",
         j.created_on AS "createdOn", j.started_on AS "startedOn", j.completed_on AS "completedOn", j.output,
         g.status::text AS "gradeStatus", g.attempts, g.error AS "gradeError",
         e.id::text AS "essayId", e.title, u.email, u.id::text AS "userId"
  FROM pgboss.job j
  LEFT JOIN grades g ON g.id = j.id
  LEFT JOIN essays e ON e.id = g.essay_id
  LEFT JOIN users u ON u.id = e.user_id`;

export async function listJobs(filter: JobFilter, email: string, page: number) {
  const search = email ? Prisma.sql`AND u.email ILIKE ${`%${email.replace(/[%_\\]/g, "\\$&")}%`}` : Prisma.empty;
  const rows = await db().$queryRaw<JobRow[]>`
    ${SELECT}
    WHERE j.name = ${GRADE_QUEUE} AND ${FILTERS[filter]} ${search}
    ORDER BY j.created_on DESC
    LIMIT ${JOB_PAGE + 1} OFFSET ${page * JOB_PAGE}`;
  return { rows: rows.slice(0, JOB_PAGE), hasMore: rows.length > JOB_PAGE };
}

export async function jobDetail(id: string) {
  if (!isUuid(id)) return null;
  const [job] = await db().$queryRaw<JobRow[]>`${SELECT} WHERE j.name = ${GRADE_QUEUE} AND j.id = ${id}::uuid`;
  if (!job) return null;
  const [timeline, essay, grade] = await Promise.all([
    db().gradeEvent.findMany({ where: { gradeId: id }, orderBy: { id: "asc" } }),
    job.essayId ? db().essay.findUnique({ where: { id: job.essayId }, select: { title: true, prompt: true, body: true, rubric: true, wordCount: true } }) : null,
    db().grade.findUnique({ where: { id }, select: { usage: true, models: true, offline: true } }),
  ]);
  return { job, timeline: timeline.map((event) => ({ ...event, id: event.id.toString() })), essay, grade };
}

export async function queueHealth() {
  const [states, oldest, lastHour, workers, disputes] = await Promise.all([
    db().$queryRaw<{ state: string; count: number }[]>`
      SELECT state::text, count(*)::int AS count FROM pgboss.job WHERE name = ${GRADE_QUEUE} GROUP BY state ORDER BY state`,
    db().$queryRaw<{ seconds: number | null }[]>`
      SELECT EXTRACT(EPOCH FROM now() - min(created_on))::float AS seconds
      FROM pgboss.job WHERE name = ${GRADE_QUEUE} AND state IN ('created', 'retry') AND start_after <= now()`,
    db().$queryRaw<{ completed: number; failed: number }[]>`
      SELECT count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed, count(*) FILTER (WHERE status = 'FAILED')::int AS failed
      FROM grades WHERE finished_at > now() - interval '1 hour'`,
    db().$queryRaw<{ name: string | null; host: string; pid: number; heartbeatOn: Date; startedOn: Date; live: boolean }[]>`
      SELECT name, host, pid, heartbeat_on AS "heartbeatOn", started_on AS "startedOn",
             stopped_on IS NULL AND heartbeat_on > now() - make_interval(secs => heartbeat_seconds * 3) AS live
      FROM pgboss.instance WHERE supervise ORDER BY heartbeat_on DESC LIMIT 20`,
    db().purchase.count({ where: { status: "DISPUTED" } }),
  ]);
  const stuck = await db().$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM pgboss.job j WHERE j.name = ${GRADE_QUEUE} AND ${STUCK}`;
  return {
    states: Object.fromEntries(states.map((row) => [row.state, row.count])) as Record<string, number>,
    stuck: stuck[0]?.count ?? 0,
    oldestWaitingSeconds: oldest[0]?.seconds ?? null,
    lastHour: lastHour[0] ?? { completed: 0, failed: 0 },
    workers,
    disputes,
  };
}

/**
 * Puts failed jobs back in the queue and their grades back to QUEUED (the student's open page hears it),
 * in one transaction with the audit rows. The student is not charged again: the charge is keyed to the
 * grade. Returns the ids that were retried; jobs that were not failed are skipped.
 */
export async function retryJobs(staff: SessionUser, ids: string[], reason?: string): Promise<string[]> {
  const queue = await boss();
  const unique = [...new Set(ids.filter(isUuid))];
  if (unique.length === 0) return [];
  return db().$transaction(async (tx) => {
    // Lock the failed jobs first, so two staff retrying at once retry each job once. A job whose grade
    // is not FAILED yet is still being failed by the dead-letter handler; retrying it now would race it.
    const failed = await tx.$queryRaw<{ id: string }[]>`
      SELECT j.id::text FROM pgboss.job j LEFT JOIN grades g ON g.id = j.id
      WHERE j.name = ${GRADE_QUEUE} AND j.id = ANY(${unique}::uuid[]) AND j.state = 'failed' AND (g.status IS NULL OR g.status = 'FAILED')
      FOR UPDATE OF j`;
    const retried = failed.map((row) => row.id);
    if (retried.length === 0) return [];
    await queue.retry(GRADE_QUEUE, retried, { db: fromPrisma(tx) });
    for (const id of retried) {
      const grade = await tx.grade.findUnique({ where: { id }, select: { status: true } });
      if (grade && grade.status !== "COMPLETED") {
        await publish(tx, id, { status: "QUEUED", stage: "Queued again by support", progress: 0 }, { error: null, finishedAt: null });
      }
      await audit(tx, staff, { action: "job.retry", gradeId: id, reason, detail: { bulk: retried.length > 1 } });
    }
    return retried;
  });
}

/** Cancels a job still waiting in the queue: the grade becomes FAILED and its credit is refunded, once. */
export async function cancelJob(staff: SessionUser, id: string, reason: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const queue = await boss();
  return db().$transaction(async (tx) => {
    const waiting = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM pgboss.job WHERE name = ${GRADE_QUEUE} AND id = ${id}::uuid AND state IN ('created', 'retry') FOR UPDATE`;
    if (waiting.length === 0) return false;
    await queue.cancel(GRADE_QUEUE, id, { db: fromPrisma(tx) });
    const refunded = await failGrade(id, "Support cancelled this grading. Your credit has been refunded.", tx);
    await audit(tx, staff, { action: "job.cancel", gradeId: id, reason, detail: { refunded } });
    return true;
  });
}

export class AdjustmentError extends Error {}

/** Adds (or with a negative amount, takes) credits, with the reason in the ledger and the audit log. */
export async function adjustCredits(staff: SessionUser, email: string, amount: number, reason: string) {
  const user = await db().user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (!user) throw new AdjustmentError(`No account has the email ${email}.`);
  await db().$transaction(async (tx) => {
    await applyOnce(tx, { userId: user.id, amount, reason: "ADJUSTMENT", reference: `adjust:${randomUUID()}`, note: reason, actorId: staff.id });
    await audit(tx, staff, { action: "credits.adjust", userId: user.id, reason, detail: { amount, email: user.email } });
  });
  return db().user.findUniqueOrThrow({ where: { id: user.id }, select: { email: true, credits: true } });
}
