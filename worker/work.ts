// What the worker does with the queues: grade each job (worker/processGrade.ts), and fail-and-refund
// each grade whose job ran out of retries. Shared by the worker process and the tests, which run the
// same handlers in-process.
import OpenAI from "openai";
import type { PgBoss } from "pg-boss";
import { deleteExpired } from "~/auth/cleanup.server";
import { env } from "~/env.server";
import { failGrade } from "~/grading/fail.server";
import { log, withLogContext } from "~/log.server";
import { GRADE_FAILED_QUEUE, GRADE_QUEUE, type GradeJob } from "~/queue/boss.server";
import { processGrade, type Graders } from "./processGrade";

const CLEANUP_QUEUE = "cleanup";

/** The AI graders configured by the environment, or null for the offline estimator. */
export function configuredGraders(): Graders | null {
  const config = env();
  if (!config.OPENAI_API_KEY) return null;
  const client = new OpenAI({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    maxRetries: 0,
    defaultHeaders: { "X-Title": "MarkM8" },
  });
  return { client, models: config.GRADER_MODELS, timeoutMs: config.GRADER_TIMEOUT_SECONDS * 1000 };
}

/** How the grading queue is fetched: WORKER_CONCURRENCY loops, each woken by NOTIFY or its poll. */
export function workOptions() {
  const config = env();
  return {
    localConcurrency: config.WORKER_CONCURRENCY,
    batchSize: 1,
    // While the queue holds a backlog (a worker was down), each loop fetches again as soon as it
    // finishes a job instead of sleeping out the interval, so a backlog drains at grader speed.
    burstWhenReadyExceeds: 1,
    pollingIntervalSeconds: config.WORKER_POLL_SECONDS,
    // NOTIFY wakes workers for new jobs; retries (automatic and staff) are found by this poll.
    notifyPollingIntervalSeconds: config.WORKER_POLL_SECONDS,
    includeMetadata: true,
  } as const;
}

export async function startWorking(boss: PgBoss, graders: Graders | null = configuredGraders()): Promise<void> {
  const logger = log();
  logger.info({ graders: graders ? graders.models : "offline estimator" }, "grading with");
  const polling = workOptions();

  await boss.work<GradeJob, void, typeof polling>(GRADE_QUEUE, polling, async ([job]) => {
    if (!job) return;
    await withLogContext({ jobId: job.id, gradeId: job.data.gradeId }, async () => {
      const attempt = { number: job.retryCount + 1, of: job.retryLimit + 1 };
      const started = performance.now();
      try {
        const outcome = await processGrade(job.data.gradeId, attempt, graders, job.signal);
        logger.info({ outcome, attempt: attempt.number, ms: Math.round(performance.now() - started) }, "grade job done");
      } catch (error) {
        logger.warn({ err: error, attempt: attempt.number, of: attempt.of }, "grade job failed");
        throw error;
      }
    });
  });

  // Hourly housekeeping; pg-boss runs each scheduled job once across all workers.
  await boss.createQueue(CLEANUP_QUEUE);
  await boss.schedule(CLEANUP_QUEUE, "17 * * * *");
  await boss.work(CLEANUP_QUEUE, async () => {
    logger.info(await deleteExpired(), "deleted expired sessions and login counters");
  });

  await boss.work<GradeJob>(GRADE_FAILED_QUEUE, { ...polling, localConcurrency: 1 }, async ([job]) => {
    if (!job) return;
    await withLogContext({ jobId: job.id, gradeId: job.data.gradeId }, async () => {
      const refunded = await failGrade(job.data.gradeId);
      logger.warn({ refunded }, "grade failed after its last retry");
    });
  });
}
