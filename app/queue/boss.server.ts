// The job queue: pg-boss in the app's own database. The web process sends grading jobs inside its own
// transactions; the worker works them. A job that runs out of retries (by failing, expiring or losing
// its worker's heartbeat) is copied to the dead-letter queue, whose handler fails the grade and
// refunds it. Every interval is a deliberate choice: docs/decisions/003-job-queue-timing.md.
import { PgBoss } from "pg-boss";
import { env } from "~/env.server";
import { log } from "~/log.server";

export const GRADE_QUEUE = "grade";
export const GRADE_FAILED_QUEUE = "grade-failed";

export type GradeJob = { gradeId: string };

/** The grading queue's policy: how long a grading may run, how often it is retried, how long jobs are kept. */
export function gradeQueueOptions() {
  return {
    // Wake the worker at COMMIT of the transaction that inserts the job.
    notify: true,
    // Three graders, each tried twice at up to GRADER_TIMEOUT_SECONDS, in parallel, plus bookkeeping.
    expireInSeconds: Math.max(120, env().GRADER_TIMEOUT_SECONDS * 2 + 60),
    // A killed or frozen worker loses its job to another within about two heartbeats.
    heartbeatSeconds: 10,
    retryLimit: env().GRADE_RETRY_LIMIT,
    retryDelay: env().GRADE_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    retryDelayMax: 300,
    deadLetter: GRADE_FAILED_QUEUE,
    // Failed jobs stay visible to support for 30 days.
    deleteAfterSeconds: 30 * 24 * 3600,
  };
}

type Role = "web" | "worker";

declare global {
  // eslint-disable-next-line no-var
  var __markm8Boss: Promise<PgBoss> | undefined;
}

function create(role: Role): PgBoss {
  const url = process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: call prepareDatabase() before starting the queue");
  const worker = role === "worker";
  const boss = new PgBoss({
    connectionString: url,
    application_name: `markm8-${process.env.MARKM8_PROCESS ?? role}-queue`,
    max: worker ? Math.min(20, env().WORKER_CONCURRENCY + 4) : 2,
    // Only the worker listens and supervises; the web process only sends, inside its own transactions.
    useListenNotify: worker,
    supervise: worker,
    schedule: worker,
    // Supervision notices an expired job or a lost heartbeat within seconds, not minutes.
    superviseIntervalSeconds: 5,
    monitorIntervalSeconds: 5,
    // The queue's ready count, which starts a worker's burst through a backlog, is at most this old.
    queueCacheIntervalSeconds: 5,
    instanceName: `${role}-${process.pid}`,
  });
  const logger = log().child({ component: "pg-boss" });
  boss.on("error", (error) => logger.error({ err: error }, "queue error"));
  boss.on("warning", (warning) => logger.warn({ warning }, "queue warning"));
  return boss;
}

/** The dead-letter queue: failing and refunding a grade is quick, so it is retried often and woken at once. */
const DEAD_LETTER_OPTIONS = { notify: true, retryLimit: 10, retryDelay: 5, retryBackoff: true, deleteAfterSeconds: 30 * 24 * 3600 };

/** Creates a missing queue; the worker, which owns the queues' policy, also brings an existing one up to date. */
async function ensureQueue(boss: PgBoss, role: Role, name: string, options: typeof DEAD_LETTER_OPTIONS | ReturnType<typeof gradeQueueOptions>) {
  if (!(await boss.getQueue(name))) await boss.createQueue(name, options);
  else if (role === "worker") await boss.updateQueue(name, options);
}

async function ensureQueues(boss: PgBoss, role: Role) {
  // The dead-letter queue must exist before the queue that names it.
  await ensureQueue(boss, role, GRADE_FAILED_QUEUE, DEAD_LETTER_OPTIONS);
  await ensureQueue(boss, role, GRADE_QUEUE, gradeQueueOptions());
}

/** This process's started queue, with the grading queues created or brought up to date. */
export function boss(role: Role = "web"): Promise<PgBoss> {
  globalThis.__markm8Boss ??= (async () => {
    const instance = create(role);
    await instance.start();
    await ensureQueues(instance, role);
    return instance;
  })().catch((error: unknown) => {
    globalThis.__markm8Boss = undefined;
    throw error;
  });
  return globalThis.__markm8Boss;
}

/** Stops this process's queue: the worker stops fetching and lets jobs in hand finish, up to `timeoutMs`. */
export async function stopBoss(timeoutMs = 10_000): Promise<void> {
  const started = globalThis.__markm8Boss;
  globalThis.__markm8Boss = undefined;
  if (!started) return;
  const instance = await started.catch(() => undefined);
  await instance?.stop({ graceful: true, timeout: timeoutMs });
}
