// How the processes start and stop: zero configuration, a required variable missing in production,
// the health check with the database up and down, the staff command, the worker's clean stop.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { db } from "~/db/client.server";
import { PASSWORD, signedUp, Visitor } from "../support/http";
import { runToExit, startWeb, startWorker } from "../support/processes";

describe("start-up", () => {
  it("refuses to start in production without SESSION_SECRET, naming it", async () => {
    for (const script of ["build/server.js", "build/worker.js"]) {
      const { code, output } = await runToExit(script, { NODE_ENV: "production", SESSION_SECRET: "" });
      expect(code).toBe(1);
      expect(output).toContain("SESSION_SECRET");
      expect(output).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
    }
  });

  it("runs with zero configuration on an embedded PostgreSQL that keeps its data across restarts", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "markm8-embedded-"));
    const zero = { DATABASE_URL: "", DATA_DIR: dataDir, NODE_ENV: "development", SESSION_SECRET: "" };

    const first = await startWeb(zero);
    const health = await (await fetch(`${first.url}/healthz`)).json();
    expect(health).toMatchObject({ status: "ok", database: "up" });
    expect(await (await fetch(first.url)).text()).toContain("MarkM8");
    await signedUp(first.url, "kept@school.org");
    // The worker joins the server the web process started instead of starting a second one.
    const worker = await startWorker(zero);
    expect(worker.output()).toContain('"embedded":true');
    expect(await worker.stop()).toBe(0);
    expect(await first.stop()).toBe(0);

    const second = await startWeb(zero);
    const login = await new Visitor(second.url).post("/login", { email: "kept@school.org", password: PASSWORD });
    expect(login.status).toBe(302);
    expect(await second.stop()).toBe(0);
  });
});

describe("GET /healthz", () => {
  it("answers 200 while the database answers and 503 while it does not", async () => {
    const web = await startWeb();
    try {
      const up = await fetch(`${web.url}/healthz`);
      expect(up.status).toBe(200);
      expect(await up.json()).toMatchObject({ status: "ok", database: "up" });

      const name = new URL(process.env.DATABASE_URL!).pathname.slice(1);
      const admin = new pg.Client({ connectionString: inject("serverUrl") });
      await admin.connect();
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
      try {
        const down = await fetch(`${web.url}/healthz`);
        expect(down.status).toBe(503);
        expect(await down.json()).toMatchObject({ status: "unavailable", database: "down" });
      } finally {
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
        await admin.end();
      }
      // It recovers without a restart.
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await fetch(`${web.url}/healthz`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    } finally {
      await web.stop();
    }
  });
});

describe("npm run staff:add", () => {
  it("promotes an existing account and creates a new one", async () => {
    const web = await startWeb();
    try {
      await signedUp(web.url, "teacher@school.org");
    } finally {
      await web.stop();
    }
    const promote = await runToExit("scripts/staff-add.ts", {}, [" Teacher@School.org "]);
    expect(promote.code).toBe(0);
    expect(promote.output).toContain("teacher@school.org is now staff.");
    expect((await db().user.findUniqueOrThrow({ where: { email: "teacher@school.org" } })).role).toBe("STAFF");

    const create = await runToExit("scripts/staff-add.ts", {}, ["head@school.org"]);
    expect(create.code).toBe(0);
    const password = /password: (\S+)/.exec(create.output)?.[1];
    expect(password).toBeDefined();
    expect((await db().user.findUniqueOrThrow({ where: { email: "head@school.org" } })).role).toBe("STAFF");
    const web2 = await startWeb();
    try {
      const login = await new Visitor(web2.url).post("/login", { email: "head@school.org", password: password! });
      expect(login.status).toBe(302);
    } finally {
      await web2.stop();
    }

    const bad = await runToExit("scripts/staff-add.ts", {}, ["not-an-email"]);
    expect(bad.code).toBe(2);
  });
});

describe("the worker process", () => {
  it("starts, creates the grading queue and stops cleanly on SIGTERM", async () => {
    const worker = await startWorker();
    const queues = await db().$queryRaw<{ name: string }[]>`SELECT name FROM pgboss.queue`;
    expect(queues.map((q) => q.name)).toContain("grade");
    expect(await worker.stop("SIGTERM")).toBe(0);
    expect(worker.output()).toContain("worker stopped");
  });
});
