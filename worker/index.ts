// The worker process: opens the same database as the web process, starts pg-boss and works the
// grading queue. SIGTERM stops fetching, lets gradings in hand finish up to a deadline, then exits;
// a grading cut short is retried by pg-boss.
import { closeDb } from "~/db/client.server";
import { prepareDatabase } from "~/db/setup.server";
import { envOrExit } from "~/env.server";
import { log } from "~/log.server";
import { boss, GRADE_QUEUE, stopBoss } from "~/queue/boss.server";
import { startWorking } from "./work";

process.env.MARKM8_PROCESS = "worker";
const config = envOrExit();
const logger = log();
const database = await prepareDatabase();
await startWorking(await boss("worker"));
logger.info({ queue: GRADE_QUEUE, embedded: database.embedded }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping");
  await stopBoss(config.WORKER_SHUTDOWN_SECONDS * 1000);
  await closeDb();
  await database.stop();
  logger.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
