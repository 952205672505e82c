// Benchmark of live progress (`npm run bench:streams`). One web process (the production build) holds
// BENCH_STREAMS event streams over BENCH_GRADES grades; the script prints how many it holds, the
// database connections it uses for them, memory per stream, and NOTIFY-to-client latency p50/p95
// across every open stream over BENCH_ROUNDS rounds of progress on every grade.
import http from "node:http";
import pg from "pg";
import { closeDb, db } from "~/db/client.server";
import { PROGRESS_CHANNEL } from "~/grading/progress";
import { stopBoss } from "~/queue/boss.server";
import { student } from "../support/grading";
import { PASSWORD, Visitor } from "../support/http";
import { scratchDatabase } from "../support/postgres";
import { startWeb } from "../support/processes";

const STREAMS = Number(process.env.BENCH_STREAMS ?? 5000);
const GRADES = Number(process.env.BENCH_GRADES ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rssKiB = async (pid: number) => {
  const { readFile } = await import("node:fs/promises");
  return Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
};

process.env.MARKM8_PROCESS = "bench";
const scratch = await scratchDatabase("markm8_bench");
const { name } = scratch;
process.env.DATABASE_URL = scratch.url;
const admin = new pg.Client({ connectionString: scratch.serverUrl });
await admin.connect();

const web = await startWeb({ LOG_LEVEL: "warn", SSE_HEARTBEAT_SECONDS: "15" });
try {
  // GRADES queued grades of one student (no worker runs, so they stay open).
  const user = await student(0);
  const essayIds: string[] = [];
  for (let i = 0; i < GRADES; i++) {
    const essay = await db().essay.create({ data: { userId: user.id, title: `Essay ${i}`, rubric: "general", body: "text", wordCount: 1 } });
    const grade = await db().grade.create({ data: { essayId: essay.id } });
    await db().gradeEvent.create({ data: { gradeId: grade.id, status: "QUEUED", stage: "Waiting for a grader", progress: 0 } });
    essayIds.push(essay.id);
  }
  const gradeIds = (await db().grade.findMany({ select: { id: true, essayId: true } })).sort(
    (a, b) => essayIds.indexOf(a.essayId) - essayIds.indexOf(b.essayId),
  );
  const visitor = new Visitor(web.url);
  await visitor.post("/login", { email: user.email, password: PASSWORD });
  const cookie = `markm8_session=${visitor.cookie("markm8_session")}`;

  const pid = web.child.pid!;
  await sleep(500);
  const rssBefore = await rssKiB(pid);
  const latencies: number[] = [];
  let open = 0;
  let failed = 0;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const url = new URL(web.url);
  const requests: http.ClientRequest[] = [];
  const opened: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < STREAMS; i++) {
    const essayId = essayIds[i % GRADES]!;
    opened.push(
      new Promise<void>((resolve) => {
        const request = http.get(
          { host: "127.0.0.1", port: url.port, path: `/essays/${essayId}/events`, headers: { Cookie: cookie, Accept: "text/event-stream" }, agent },
          (response) => {
            if (response.statusCode !== 200) {
              failed++;
              response.resume();
              return resolve();
            }
            response.setEncoding("utf8");
            let first = true;
            response.on("data", (chunk: string) => {
              if (first) {
                first = false;
                open++;
                resolve();
              }
              for (const match of chunk.matchAll(/"sentAt":(\d+(?:\.\d+)?)/g)) latencies.push(Date.now() - Number(match[1]));
            });
          },
        );
        request.on("error", () => {
          failed++;
          resolve();
        });
        requests.push(request);
      }),
    );
    // Open in waves so the benchmark measures holding streams, not a connection storm.
    if (i % 200 === 199) await sleep(50);
  }
  await Promise.all(opened);
  const openSeconds = (performance.now() - started) / 1000;
  await sleep(1000);
  const rssAfter = await rssKiB(pid);
  const backends = async () =>
    (await admin.query<{ app: string; n: number }>(
      `SELECT application_name AS app, count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 GROUP BY 1 ORDER BY 1`,
      [name],
    )).rows;
  const atOpen = await backends();

  // Progress for every grade, ROUNDS times: each NOTIFY carries the time it was sent.
  const notifier = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await notifier.connect();
  let eventId = 10n ** 12n;
  for (let round = 0; round < ROUNDS; round++) {
    await notifier.query("BEGIN");
    for (const grade of gradeIds) {
      eventId += 1n;
      const payload = { gradeId: grade.id, eventId: eventId.toString(), status: "processing", stage: "benchmark", progress: 50, sentAt: Date.now() };
      await notifier.query("SELECT pg_notify($1, $2)", [PROGRESS_CHANNEL, JSON.stringify(payload)]);
    }
    await notifier.query("COMMIT");
    await sleep(500);
  }
  await sleep(1500);
  await notifier.end();

  const health = (await (await fetch(`${web.url}/healthz`)).json()) as { streams: number };
  console.log(`MarkM8 event stream benchmark (Node ${process.version}, one web process)`);
  console.log(`streams held: ${open} of ${STREAMS} (${failed} failed), opened in ${openSeconds.toFixed(1)} s; the server counts ${health.streams}`);
  console.log(`database connections of the web process while they are open: ${JSON.stringify(atOpen)}`);
  const listening = atOpen.filter((row) => row.app === "markm8-web-listen").reduce((sum, row) => sum + row.n, 0);
  console.log(`  of which listening: ${listening}; markm8-web is Prisma's pool, used only while a stream opens or resyncs (idle ones close after 30 s); markm8-bench is this script`);
  console.log(`memory: RSS ${(rssBefore / 1024).toFixed(0)} MiB before, ${(rssAfter / 1024).toFixed(0)} MiB with the streams: ${(((rssAfter - rssBefore) * 1024) / Math.max(1, open) / 1024).toFixed(1)} KiB per stream`);
  console.log(
    `NOTIFY to client over ${latencies.length} deliveries (${ROUNDS} rounds × ${GRADES} grades × ${STREAMS / GRADES} streams each): ` +
      `p50 ${quantile(latencies, 0.5)} ms, p95 ${quantile(latencies, 0.95)} ms, max ${Math.max(...latencies)} ms`,
  );
  await sleep(31_000);
  const idle = await backends();
  console.log(`after 30 s with the streams still open: ${JSON.stringify(idle)}`);
  for (const request of requests) request.destroy();
} finally {
  await web.stop();
  await stopBoss(1000);
  await closeDb();
  await admin.end();
  await scratch.drop();
}
