// PostgreSQL restarted under running web and worker processes: both recover without a restart of
// their own, no grade is lost or graded twice, and an open page reaches its final state. The server
// here is an embedded PostgreSQL of this test's own, so restarting it disturbs no other test.
import { chmod, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbedded, type Embedded } from "~/db/embedded.server";
import { migrate } from "~/db/migrate.server";
import { essayInput } from "../fixtures/essays";
import { AI_ENV } from "../mocks/ai";
import { PASSWORD, Visitor } from "../support/http";
import { startWeb, startWorker } from "../support/processes";
import { openStream } from "../support/sse";

let server: Embedded | undefined;
afterAll(async () => {
  await server?.stop();
});

describe("a PostgreSQL restart", () => {
  it("delays grades but loses none and grades none twice; open pages reach their final state", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "markm8-restart-"));
    await chmod(dir, 0o755);
    server = await startEmbedded(dir);
    const url = server.url;
    const port = Number(new URL(url).port);
    await migrate(url);
    const env = {
      DATABASE_URL: url,
      ...AI_ENV,
      MOCK_AI_LATENCY_MS: "1500",
      WORKER_POLL_SECONDS: "1",
      GRADE_RETRY_DELAY_SECONDS: "1",
    };
    const web = await startWeb(env);
    const worker = await startWorker(env, ["--import", "./tests/mocks/preload.ts"]);
    const query = async <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<T>(sql, values)).rows;
      } finally {
        await client.end();
      }
    };
    try {
      const visitor = new Visitor(web.url);
      expect((await visitor.post("/signup", { email: "restart@school.org", password: PASSWORD })).status).toBe(302);
      await query(`UPDATE users SET credits = 10 WHERE email = 'restart@school.org'`);
      await query(
        `INSERT INTO ledger_entries (user_id, amount, reason, reference, note) SELECT id, 7, 'ADJUSTMENT', 'restart-test', 'test' FROM users WHERE email = 'restart@school.org'`,
      );
      const essays: string[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await visitor.post("/essays/new", essayInput({ title: `Restart ${i}` }));
        expect(response.status).toBe(302);
        essays.push(response.headers.get("location")!);
      }
      const stream = await openStream(visitor, `${essays[3]}/events`);
      await stream.next();

      // Restart while gradings are in flight.
      for (let i = 0; i < 100; i++) {
        if ((await query<{ n: number }>(`SELECT count(*)::int AS n FROM grades WHERE status = 'PROCESSING'`))[0]!.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const down = Date.now();
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      server = await startEmbedded(dir, port);
      const restarted = Date.now();

      let done: { status: string; n: number }[] = [];
      for (let i = 0; i < 900; i++) {
        done = await query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM grades GROUP BY status`);
        if (done.length === 1 && done[0]!.status === "COMPLETED") break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      console.info(
        `PostgreSQL down for ${((restarted - down) / 1000).toFixed(1)} s; every grade completed ${((Date.now() - restarted) / 1000).toFixed(1)} s after it came back`,
      );
      expect(done).toEqual([{ status: "COMPLETED", n: 4 }]);
      const completions = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM grade_events WHERE status = 'COMPLETED' GROUP BY grade_id`,
      );
      expect(completions.map((row) => row.n)).toEqual([1, 1, 1, 1]);
      const ledger = await query<{ charges: number; refunds: number; credits: number; sum: number }>(`
        SELECT count(*) FILTER (WHERE reason = 'GRADE')::int AS charges, count(*) FILTER (WHERE reason = 'REFUND')::int AS refunds,
               (SELECT credits FROM users WHERE email = 'restart@school.org') AS credits, sum(amount)::int AS sum
        FROM ledger_entries`);
      expect(ledger[0]).toEqual({ charges: 4, refunds: 0, credits: 6, sum: 6 });

      await stream.closed;
      expect(stream.events.at(-1)?.json).toMatchObject({ status: "completed", progress: 100 });
      expect((await fetch(`${web.url}/healthz`)).status).toBe(200);
      expect(web.child.exitCode).toBeNull();
      expect(worker.child.exitCode).toBeNull();
    } finally {
      await worker.stop();
      await web.stop();
    }
  });
});
