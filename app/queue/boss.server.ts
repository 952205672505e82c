// The job queue: pg-boss in the app's own database. The web process sends grading jobs inside its own
// transactions; the worker process works them. Every interval below is a deliberate choice, explained
// in docs/decisions/003-job-queue-timing.md.
import { PgBoss } from "pg-boss";
import { log } from "~/log.server";

export const GRADE_QUEUE = "grade";

/** The grading queue's policy: how long a grading may run, how often it is retried, how long jobs are kept. */
export const GRADE_QUEUE_OPTIONS = {
  // Wake the worker at COMMIT of the transaction that inserts the job.
  notify: true,
  // Three graders, each with one retry at up to 60 s, finish well inside five minutes.
  expireInSeconds: 300,
  // A worker that stops sending heartbeats (killed, frozen) loses its job to another within ~10-20 s.
  heartbeatSeconds: 10,
  retryLimit: 3,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 120,
  // Failed jobs stay visible to support for 30 days.
  deleteAfterSeconds: 30 * 24 * 3600,
} as const;

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
    application_name: `markm8-${role}`,
    max: worker ? 6 : 2,
    // Only the worker listens and supervises; the web process only sends, inside its own transactions.
    useListenNotify: worker,
    supervise: worker,
    schedule: worker,
    // Supervision and monitoring run often enough to notice a dead worker within seconds, not minutes.
    superviseIntervalSeconds: 5,
    monitorIntervalSeconds: 5,
    maintenanceIntervalSeconds: 120,
    instanceName: `${role}-${process.pid}`,
  });
  const logger = log().child({ component: "pg-boss" });
  boss.on("error", (error) => logger.error({ err: error }, "queue error"));
  boss.on("warning", (warning) => logger.warn({ warning }, "queue warning"));
  return boss;
}

/** This process's started queue, creating the grading queue if it does not exist yet. */
export function boss(role: Role = "web"): Promise<PgBoss> {
  globalThis.__markm8Boss ??= (async () => {
    const instance = create(role);
    await instance.start();
    if (!(await instance.getQueue(GRADE_QUEUE))) {
      await instance.createQueue(GRADE_QUEUE, GRADE_QUEUE_OPTIONS);
    }
    return instance;
  })().catch((error: unknown) => {
    globalThis.__markm8Boss = undefined;
    throw error;
  });
  return globalThis.__markm8Boss;
}

/** Stops this process's queue: the worker lets jobs in hand finish, up to `timeoutMs`. */
export async function stopBoss(timeoutMs = 10_000): Promise<void> {
  const started = globalThis.__markm8Boss;
  globalThis.__markm8Boss = undefined;
  if (!started) return;
  const instance = await started.catch(() => undefined);
  await instance?.stop({ graceful: true, timeout: timeoutMs });
}
