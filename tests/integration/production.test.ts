// The production smoke test: the build output plus a clean `npm ci --omit=dev` install (what the
// Docker image holds), started with production settings against a fresh, empty database: sign up,
// submit, receive a grade, stop both processes with SIGTERM. And the deploy files, checked for what
// can be checked without a Docker engine.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { essayInput } from "../fixtures/essays";
import { PASSWORD, Visitor } from "../support/http";
import { withDatabase } from "../support/postgres";
import { runToExit, startWeb, startWorker } from "../support/processes";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const exists = (file: string) => stat(path.join(root, file)).then(() => true, () => false);

describe("the production build", () => {
  it("runs from the build output and production dependencies only, on a fresh database", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "markm8-production-"));
    for (const item of ["package.json", "package-lock.json", ".npmrc", "build", "public", "prisma", ".config"]) {
      await cp(path.join(root, item), path.join(dir, item), { recursive: true });
    }
    await run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir, timeout: 240_000 });
    await expect(stat(path.join(dir, "node_modules/vitest"))).rejects.toThrow();
    await expect(stat(path.join(dir, "node_modules/@remix-run/dev"))).rejects.toThrow();

    const name = `markm8_t_${inject("runId")}_production`;
    const admin = new pg.Client({ connectionString: inject("serverUrl") });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const env = {
      NODE_ENV: "production",
      SESSION_SECRET: "s".repeat(48),
      DATABASE_URL: withDatabase(inject("serverUrl"), name),
      OPENAI_API_KEY: "",
      WORKER_POLL_SECONDS: "1",
    };

    const migrate = await runToExit("build/migrate.js", env, [], 60_000, { cwd: dir });
    expect(migrate.code, migrate.output).toBe(0);
    const web = await startWeb(env, { cwd: dir });
    const worker = await startWorker(env, { cwd: dir });
    try {
      const visitor = new Visitor(web.url);
      const signup = await visitor.post("/signup", { email: "prod@school.org", password: PASSWORD });
      expect(signup.status).toBe(302);
      expect(signup.headers.getSetCookie().find((c) => c.startsWith("markm8_session="))).toMatch(/Secure/);
      const submit = await visitor.post("/essays/new", essayInput());
      expect(submit.status).toBe(302);
      const essayPath = submit.headers.get("location")!;
      let page = "";
      for (let i = 0; i < 100 && !page.includes('data-testid="grade-result"'); i++) {
        page = await (await visitor.get(essayPath)).text();
        if (!page.includes('data-testid="grade-result"')) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(page).toContain('data-testid="grade-result"');
      expect(page).toContain("Offline estimate.");
      const staff = await runToExit("build/staff-add.js", env, ["ops@school.org"], 60_000, { cwd: dir });
      expect(staff.code, staff.output).toBe(0);
    } finally {
      expect(await worker.stop("SIGTERM")).toBe(0);
      expect(await web.stop("SIGTERM")).toBe(0);
    }
    const lines = `${web.output()}\n${worker.output()}`.split("\n").filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });
});

describe("the deploy files", () => {
  it("build on Node 24 slim images, run as a non-root user, and start scripts that the build produces", async () => {
    const dockerfile = await readFile(path.join(root, "Dockerfile"), "utf8");
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const image of froms) expect(image).toMatch(/^node:24(\.\d+)*-[\w]*-?slim$|^node:24-bookworm-slim$/);
    const final = dockerfile.slice(dockerfile.lastIndexOf("FROM "));
    expect(final).toMatch(/^USER (?!root)\w+/m);
    expect(final).toMatch(/npm ci --omit=dev|--from=deps/);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(final)![1]!) as string[];
    expect(cmd).toEqual(["node", "build/server.js"]);
    for (const copied of [...dockerfile.matchAll(/^COPY (?!--from)(?:--chown=\S+ )?(.+) \S+$/gm)].flatMap((m) => m[1]!.split(" "))) {
      expect(await exists(copied), `Dockerfile copies ${copied}`).toBe(true);
    }
    const ignore = await readFile(path.join(root, ".dockerignore"), "utf8");
    for (const entry of ["node_modules", ".data", ".git"]) expect(ignore.split("\n")).toContain(entry);

    const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
      engines: { node: string };
    };
    for (const script of [...dockerfile.matchAll(/npm run (\S+)/g)].map((m) => m[1]!)) expect(pkg.scripts[script], script).toBeDefined();
    expect(pkg.engines.node).toBe(">=24");
    expect((await readFile(path.join(root, ".nvmrc"), "utf8")).trim()).toBe("24");

    const web = await readFile(path.join(root, "railway.toml"), "utf8");
    const worker = await readFile(path.join(root, ".config/railway.worker.toml"), "utf8");
    expect(web).toMatch(/builder = "DOCKERFILE"/);
    expect(web).toMatch(/startCommand = "node build\/server.js"/);
    expect(web).toMatch(/healthcheckPath = "\/healthz"/);
    expect(web).toMatch(/restartPolicyType = "\w+"/);
    expect(web).toMatch(/preDeployCommand = \["npx prisma migrate deploy"\]/);
    expect(pkg.dependencies.prisma).toBeDefined(); // the image must hold the CLI that preDeploy runs
    expect(worker).toMatch(/startCommand = "node build\/worker.js"/);
    expect(worker).not.toMatch(/healthcheckPath/);
    for (const built of ["build/server.js", "build/worker.js", "build/migrate.js", "build/staff-add.js"]) {
      expect(await exists(built), built).toBe(true);
    }
  });
});
