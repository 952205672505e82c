// Benchmark of the submit-and-grade path (`npm run bench:grading`). Prints:
//   1. COMMIT-to-handler-start latency, p50/p95 over BENCH_SUBMISSIONS submissions, with NOTIFY and polling only;
//   2. submissions per second through the real HTTP action (web process), with p50/p99 latency;
//   3. the drain rate of a BENCH_BACKLOG-job backlog worked by the real worker process, whose AI
//      graders (msw) answer after BENCH_GRADER_MS.
// It uses DATABASE_URL's server (or an embedded one) and a fresh database it drops afterwards.
import { randomUUID } from "node:crypto";
import { PgBoss } from "pg-boss";
import { closeDb, db } from "~/db/client.server";
import { submitEssay } from "~/grading/submit.server";
import { GRADE_QUEUE, stopBoss, type GradeJob } from "~/queue/boss.server";
import { essayInput } from "../fixtures/essays";
import { AI_BASE_URL, MODELS } from "../mocks/ai";
import { student } from "../support/grading";
import { workOptions } from "../../worker/work";
import { PASSWORD, Visitor } from "../support/http";
import { startWeb, startWorker } from "../support/processes";
import { scratchDatabase } from "../support/postgres";

const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 200);
const HTTP_REQUESTS = Number(process.env.BENCH_HTTP_REQUESTS ?? 500);
const HTTP_CONCURRENCY = Number(process.env.BENCH_HTTP_CONCURRENCY ?? 16);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 10_000);
const GRADER_MS = Number(process.env.BENCH_GRADER_MS ?? 200);
const CONCURRENCY = Number(process.env.WORKER_CONCURRENCY ?? 32);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/**
 * 1. One submission at a time, each after the previous one's handler started and a random pause, so
 * every measurement starts from an idle worker: the wake-up latency a student sees.
 */
async function commitToStart(url: string, notify: boolean) {
  const queue = new PgBoss({ connectionString: url, useListenNotify: notify, supervise: true, schedule: false, queueCacheIntervalSeconds: 5 });
  queue.on("error", (error) => console.error("queue error:", error.message));
  await queue.start();
  if (!(await queue.getQueue("grade-failed"))) await queue.createQueue("grade-failed");
  if (!(await queue.getQueue(GRADE_QUEUE))) await queue.createQueue(GRADE_QUEUE, { notify: true, deadLetter: "grade-failed" });
  const waiting = new Map<string, (startedAt: number) => void>();
  // The worker's own fetch settings (WORKER_CONCURRENCY loops, WORKER_POLL_SECONDS); the handler only records when it started.
  await queue.work<GradeJob>(GRADE_QUEUE, workOptions(), async ([job]) => {
    const started = performance.now();
    waiting.get(job!.data.gradeId)?.(started);
  });
  const user = await student(SUBMISSIONS + 10);
  const delays: number[] = [];
  for (let i = 0; i < SUBMISSIONS; i++) {
    const gradeId = randomUUID();
    const started = new Promise<number>((resolve) => waiting.set(gradeId, resolve));
    await submitEssay(user.id, essayInput(), gradeId);
    const committed = performance.now();
    delays.push((await started) - committed);
    waiting.delete(gradeId);
    await sleep(Math.random() * 200);
  }
  await queue.stop({ graceful: false });
  return { p50: quantile(delays, 0.5), p95: quantile(delays, 0.95), n: delays.length };
}

/** 2. The real web process's submit action under HTTP_CONCURRENCY parallel students' worth of load. */
async function httpThroughput() {
  const web = await startWeb({ LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "20" });
  try {
    const user = await student(HTTP_REQUESTS + 10);
    const visitor = new Visitor(web.url);
    await visitor.post("/login", { email: user.email, password: PASSWORD });
    const body = essayInput();
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: HTTP_CONCURRENCY }, async () => {
        while (next < HTTP_REQUESTS) {
          next++;
          const t0 = performance.now();
          const response = await visitor.post("/essays/new", body);
          latencies.push(performance.now() - t0);
          if (response.status !== 302) failures++;
          await response.arrayBuffer();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { rps: HTTP_REQUESTS / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), failures };
  } finally {
    await web.stop();
  }
}

/** 3. A backlog made while no worker runs, then drained by one real worker process. */
async function drain() {
  const user = await student(0);
  // Build the backlog quickly with set-based SQL, exactly as BACKLOG submissions would leave it.
  const queue = new PgBoss({ connectionString: process.env.DATABASE_URL!, supervise: false, schedule: false });
  queue.on("error", (error) => console.error("queue error:", error.message));
  await queue.start();
  const body = essayInput().body;
  const ids: string[] = [];
  for (let offset = 0; offset < BACKLOG; offset += 1000) {
    const batch = Array.from({ length: Math.min(1000, BACKLOG - offset) }, () => randomUUID());
    await db().$executeRaw`
      WITH e AS (
        INSERT INTO essays (id, user_id, title, rubric, body, word_count)
        SELECT gen_random_uuid(), ${user.id}::uuid, 'Backlog essay', 'general', ${body}, 400 FROM unnest(${batch}::uuid[]) g
        RETURNING id
      ), numbered AS (SELECT id, row_number() OVER () AS n FROM e), grade_ids AS (SELECT g, row_number() OVER () AS n FROM unnest(${batch}::uuid[]) g)
      INSERT INTO grades (id, essay_id, stage, updated_at) SELECT grade_ids.g, numbered.id, 'Waiting for a grader', now()
      FROM numbered JOIN grade_ids USING (n)`;
    await queue.insert(GRADE_QUEUE, batch.map((id) => ({ id, data: { gradeId: id } })));
    ids.push(...batch);
  }
  await queue.stop({ graceful: false });

  const worker = await startWorker(
    {
      LOG_LEVEL: "info",
      OPENAI_API_KEY: "bench-key",
      OPENAI_BASE_URL: AI_BASE_URL,
      GRADER_MODELS: MODELS.join(","),
      MOCK_AI_LATENCY_MS: String(GRADER_MS),
      WORKER_CONCURRENCY: String(CONCURRENCY),
      DATABASE_POOL_SIZE: String(CONCURRENCY + 4),
    },
    ["--import", "./tests/mocks/preload.ts"],
  );
  const started = performance.now();
  let completed = 0;
  let lastPrint = 0;
  while (completed < BACKLOG) {
    await sleep(1000);
    completed = await db().grade.count({ where: { status: "COMPLETED" } });
    const seconds = (performance.now() - started) / 1000;
    if (seconds - lastPrint >= 15) {
      lastPrint = seconds;
      console.log(`  … ${completed}/${BACKLOG} graded after ${seconds.toFixed(0)} s`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  return { seconds, rate: BACKLOG / seconds, ceiling: CONCURRENCY / (GRADER_MS / 1000) };
}

const { url, drop } = await scratchDatabase("markm8_bench");
process.env.DATABASE_URL = url;
try {
  console.log(`MarkM8 grading benchmark (Node ${process.version})`);
  const notify = await commitToStart(process.env.DATABASE_URL!, true);
  console.log(`1. COMMIT to handler start, NOTIFY on  (${notify.n} submissions): p50 ${ms(notify.p50)}, p95 ${ms(notify.p95)}`);
  const polling = await commitToStart(process.env.DATABASE_URL!, false);
  console.log(`   COMMIT to handler start, polling only (${process.env.WORKER_POLL_SECONDS ?? 5} s interval, ${workOptions().localConcurrency} loops): p50 ${ms(polling.p50)}, p95 ${ms(polling.p95)}`);
  const http = await httpThroughput();
  console.log(
    `2. POST /essays/new, ${HTTP_REQUESTS} requests, ${HTTP_CONCURRENCY} at a time: ${http.rps.toFixed(0)} submissions/s, p50 ${ms(http.p50)}, p99 ${ms(http.p99)}${http.failures ? `, ${http.failures} failed` : ""}`,
  );
  const backlog = await drain();
  console.log(
    `3. Drained ${BACKLOG} jobs in ${backlog.seconds.toFixed(1)} s: ${backlog.rate.toFixed(1)} grades/s ` +
      `(graders answer after ${GRADER_MS} ms; ${CONCURRENCY} concurrent gradings allow at most ${backlog.ceiling.toFixed(0)}/s)`,
  );
} finally {
  await stopBoss(1000);
  await closeDb();
  await drop();
}
