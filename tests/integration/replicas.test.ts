// Two web processes and two workers on one database: every grade is processed exactly once, and a
// page served by one web process follows progress published by whichever worker grades it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { essayInput } from "../fixtures/essays";
import { AI_ENV } from "../mocks/ai";
import { PASSWORD, Visitor } from "../support/http";
import { startWeb, startWorker, type Running } from "../support/processes";
import { student } from "../support/grading";
import { openStream } from "../support/sse";

const env = { ...AI_ENV, MOCK_AI_LATENCY_MS: "200", WORKER_POLL_SECONDS: "1" };
const preload = ["--import", "./tests/mocks/preload.ts"];
let webs: Running[] = [];
let workers: Awaited<ReturnType<typeof startWorker>>[] = [];
beforeAll(async () => {
  webs = await Promise.all([startWeb(), startWeb()]);
  workers = await Promise.all([startWorker(env, preload), startWorker(env, preload)]);
});
afterAll(async () => {
  await Promise.all([...workers, ...webs].map((proc) => proc.stop()));
});

describe("two web processes and two workers", () => {
  it("grade every essay exactly once, and each web process streams progress of grades submitted through the other", async () => {
    const user = await student(20);
    const [a, b] = await Promise.all(
      webs.map(async (web) => {
        const visitor = new Visitor(web.url);
        await visitor.post("/login", { email: user.email, password: PASSWORD });
        return visitor;
      }),
    );
    const submissions = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const through = i % 2 ? a! : b!;
        const response = await through.post("/essays/new", essayInput({ title: `Replica ${i}` }));
        expect(response.status).toBe(302);
        return { path: response.headers.get("location")!, other: i % 2 ? b! : a! };
      }),
    );
    // Follow each essay on the web process it was NOT submitted through.
    const streams = await Promise.all(submissions.map(({ path, other }) => openStream(other, `${path}/events`)));
    await Promise.all(streams.map((stream) => stream.closed));
    for (const stream of streams) expect(stream.events.at(-1)?.json).toMatchObject({ status: "completed", progress: 100 });

    const grades = await db().grade.findMany({ where: { essay: { userId: user.id } } });
    expect(grades).toHaveLength(20);
    expect(grades.every((grade) => grade.status === "COMPLETED" && grade.attempts === 1)).toBe(true);
    const completions = await db().gradeEvent.groupBy({ by: ["gradeId"], where: { gradeId: { in: grades.map((g) => g.id) }, status: "COMPLETED" }, _count: true });
    expect(completions.every((row) => row._count === 1)).toBe(true);
    const usage = grades.flatMap((grade) => grade.usage as { attempt: number }[]);
    expect(usage).toHaveLength(60);
    const byWorker = workers.map((worker) => worker.output().split("\n").filter((line) => line.includes('"grade job done"')).length);
    expect(byWorker.reduce((sum, n) => sum + n, 0)).toBe(20);
    console.info(`20 grades split between the two workers as ${byWorker.join(" and ")}`);
  });
});
