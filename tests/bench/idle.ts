// What an idle worker costs the database (`npm run bench:idle`): transactions per minute on a fresh
// database while one worker waits for work, for each WORKER_POLL_SECONDS in BENCH_POLLS.
import pg from "pg";
import { scratchDatabase } from "../support/postgres";
import { startWorker } from "../support/processes";

const POLLS = (process.env.BENCH_POLLS ?? "5,60").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

console.log(`Idle worker cost (Node ${process.version}), measured over ${SECONDS} s each after a 15 s warm-up`);
for (const poll of POLLS) {
  const { name, url, serverUrl, drop } = await scratchDatabase("markm8_bench_idle");
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const worker = await startWorker({ DATABASE_URL: url, WORKER_POLL_SECONDS: String(poll), LOG_LEVEL: "info" });
  await sleep(15_000);
  const count = async () =>
    Number((await admin.query<{ n: string }>(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1`, [name])).rows[0]!.n);
  await admin.query("SELECT pg_stat_clear_snapshot()");
  const before = await count();
  await sleep(SECONDS * 1000);
  await admin.query("SELECT pg_stat_clear_snapshot()");
  const after = await count();
  const connections = (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name])).rows[0]!.n;
  console.log(
    `WORKER_POLL_SECONDS=${poll} (WORKER_CONCURRENCY 8): ${(((after - before) * 60) / SECONDS).toFixed(0)} transactions/minute, ${connections} connections held`,
  );
  await worker.stop();
  await admin.end();
  await drop();
}
