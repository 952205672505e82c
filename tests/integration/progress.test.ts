// Live progress over real HTTP: the web process's event stream, fed by a worker's NOTIFYs through the
// web's one listening connection. The worker runs in this process (msw plays the AI endpoint).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "~/db/client.server";
import { submitEssay } from "~/grading/submit.server";
import { boss } from "~/queue/boss.server";
import { startWorking } from "../../worker/work";
import { essayInput } from "../fixtures/essays";
import { agree, aiHandlers, MODELS, AI_ENV } from "../mocks/ai";
import { startMockServer } from "../mocks/server";
import { student, waitForGrade } from "../support/grading";
import { PASSWORD, signedUp, Visitor } from "../support/http";
import { startWeb, type Running } from "../support/processes";
import { openStream } from "../support/sse";

Object.assign(process.env, {
  ...AI_ENV,
  WORKER_POLL_SECONDS: "0.5",
});
const mock = startMockServer();
// Graders answer 300, 600 and 900 ms after they are asked.
mock.use(...aiHandlers(agree, [], (model) => 300 * (MODELS.indexOf(model) + 1)));

let web: Running;
let workerStarted = false;
async function startWorker() {
  if (workerStarted) return;
  workerStarted = true;
  await startWorking(await boss("worker"));
}
beforeAll(async () => {
  web = await startWeb({ SSE_HEARTBEAT_SECONDS: "1" });
});
afterAll(async () => {
  mock.close();
  await web?.stop();
});

async function studentWithEssay() {
  const user = await student(3);
  const visitor = new Visitor(web.url);
  expect((await visitor.post("/login", { email: user.email, password: PASSWORD })).status).toBe(302);
  const essayId = await submitEssay(user.id, essayInput());
  const { id: gradeId } = await db().grade.findFirstOrThrow({ where: { essayId } });
  return { user, visitor, essayId, gradeId };
}

/** A queued grade with no job behind it: nothing will move it, so its stream stays open. */
async function idleEssay(userId: string) {
  const essay = await db().essay.create({ data: { userId, title: "Idle", rubric: "general", body: "text", wordCount: 1 } });
  const grade = await db().grade.create({ data: { essayId: essay.id } });
  await db().gradeEvent.create({ data: { gradeId: grade.id, status: "QUEUED", stage: "Waiting for a grader", progress: 0 } });
  return essay.id;
}

const health = async () => (await (await fetch(`${web.url}/healthz`)).json()) as { streams: number; listening: boolean; listenerPid: number | null };

describe("GET /essays/:id/events", () => {
  it("sends the current state first, then each change in order, and closes at the final status", async () => {
    const { visitor, essayId, gradeId } = await studentWithEssay();
    const stream = await openStream(visitor, `/essays/${essayId}/events`);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get("x-accel-buffering")).toBe("no");
    expect(stream.response.headers.get("content-encoding")).toBeNull();

    const snapshot = await stream.next();
    expect(snapshot.json).toMatchObject({ gradeId, status: "queued", progress: 0 });
    expect(snapshot.id).toBe(snapshot.json.eventId);

    await startWorker();
    await stream.closed;
    const statuses = stream.events.map((e) => e.json.status);
    expect(statuses.at(-1)).toBe("completed");
    expect(stream.events.at(-1)?.json.progress).toBe(100);
    expect(statuses).toContain("processing");
    const progress = stream.events.map((e) => e.json.progress as number);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const ids = stream.events.map((e) => BigInt(e.id!));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(stream.events.filter((e) => /graders finished/.test(String(e.json.stage)))).toHaveLength(3);
    expect(stream.raw()).toMatch(/^retry: \d+$/m);
  });

  it("gives a stream opened after completion the final state, then closes; resumes after Last-Event-ID", async () => {
    await startWorker();
    const { visitor, essayId, gradeId } = await studentWithEssay();
    await waitForGrade(gradeId);
    const late = await openStream(visitor, `/essays/${essayId}/events`);
    await late.closed;
    expect(late.events.map((e) => e.json.status)).toEqual(["completed"]);

    const all = await db().gradeEvent.findMany({ where: { gradeId }, orderBy: { id: "asc" } });
    const resumed = await openStream(visitor, `/essays/${essayId}/events`, { "Last-Event-ID": all[1]!.id.toString() });
    await resumed.closed;
    expect(resumed.events.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id.toString()));
  });

  it("is 404 for another student's essay and 401 for a visitor", async () => {
    const { essayId } = await studentWithEssay();
    const other = await signedUp(web.url, `other-${Date.now()}@school.org`);
    expect((await other.get(`/essays/${essayId}/events`)).status).toBe(404);
    expect((await new Visitor(web.url).get(`/essays/${essayId}/events`)).status).toBe(401);
  });

  it("sends heartbeat comments while nothing happens", async () => {
    const user = await student(3);
    const visitor = new Visitor(web.url);
    await visitor.post("/login", { email: user.email, password: PASSWORD });
    const essayId = await idleEssay(user.id);
    const stream = await openStream(visitor, `/essays/${essayId}/events`);
    await stream.next();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(stream.raw().match(/^: ping$/gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(stream.events).toHaveLength(1); // heartbeats dispatch no event
    stream.abort();
  });

  it("uses one listening connection for many streams and releases every stream that ends", async () => {
    const { visitor, user } = await studentWithEssay();
    const essayId = await idleEssay(user.id);
    const before = (await health()).streams;
    const streams = await Promise.all(Array.from({ length: 25 }, () => openStream(visitor, `/essays/${essayId}/events`)));
    await Promise.all(streams.map((s) => s.next()));
    expect((await health()).streams).toBe(before + 25);
    const name = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    const listeners = await db().$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ${name} AND application_name = 'markm8-web-listen'`;
    expect(Number(listeners[0]!.n)).toBe(1);
    for (const stream of streams) stream.abort();
    let after = -1;
    for (let i = 0; i < 50 && after !== before; i++) {
      after = (await health()).streams;
      if (after !== before) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(after).toBe(before);
  });

  it("loses no final state when the listening connection is killed during a grading", async () => {
    await startWorker();
    const { visitor, essayId, gradeId } = await (async () => {
      const user = await student(3);
      const v = new Visitor(web.url);
      await v.post("/login", { email: user.email, password: PASSWORD });
      return { visitor: v, essayId: "", gradeId: "", user };
    })().then(async (ctx) => {
      // Open the stream on an essay whose grading starts only after the listener is killed.
      const id = await submitEssay(ctx.user.id, essayInput());
      const grade = await db().grade.findFirstOrThrow({ where: { essayId: id } });
      return { ...ctx, essayId: id, gradeId: grade.id };
    });
    const stream = await openStream(visitor, `/essays/${essayId}/events`);
    await stream.next();
    const { listenerPid } = await health();
    expect(listenerPid).toBeTypeOf("number");
    const admin = new pg.Client({ connectionString: inject("serverUrl") });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend($1)", [listenerPid]);
    await admin.end();
    await waitForGrade(gradeId);
    await stream.closed;
    expect(stream.events.at(-1)?.json).toMatchObject({ status: "completed", progress: 100 });
    const after = await health();
    expect(after.listening).toBe(true);
    expect(after.listenerPid).not.toBe(listenerPid);
  });
});
