// Real MarkM8 processes for tests: the production build's web server and worker, spawned with their
// own environment, their output kept for the failure message.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

export type Running = {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

const root = path.resolve(import.meta.dirname, "../..");

const alive = new Set<ChildProcess>();

/** Kills whatever a test file started and did not stop (a failed test must not leave processes behind). */
export function killAll() {
  for (const child of alive) child.kill("SIGKILL");
  alive.clear();
}

// A benchmark script that crashes takes its processes with it.
process.once("exit", killAll);

/** Variables for a child process; an empty string or undefined leaves one unset. */
export type ChildEnv = Record<string, string | undefined>;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** How to start a process: node flags (mock preloads), and the directory to run in (default: the repository). */
export type LaunchOptions = { nodeArgs?: string[]; cwd?: string };

function launch(script: string, env: ChildEnv, args: string[] = [], { nodeArgs = [], cwd = root }: LaunchOptions = {}): Pick<Running, "child" | "output" | "stop"> {
  // TypeScript sources (scripts/*.ts, preloads) run through tsx, which also resolves the `~/` alias.
  const typescript = script.endsWith(".ts") || nodeArgs.some((arg) => arg.endsWith(".ts"));
  const runner = typescript ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...runner, ...nodeArgs, script, ...args], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      SESSION_SECRET: "t".repeat(40),
      DATABASE_URL: process.env.DATABASE_URL,
      ...env,
    } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  alive.add(child);
  child.once("exit", () => alive.delete(child));
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

async function waitFor(check: () => Promise<boolean>, what: string, proc: Pick<Running, "child" | "output">, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited with ${proc.child.exitCode}. Output:\n${proc.output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs} ms. Output:\n${proc.output()}`);
}

const asOptions = (options: string[] | LaunchOptions): LaunchOptions => (Array.isArray(options) ? { nodeArgs: options } : options);

/** Starts `build/server.js` and waits until /healthz answers 200; node flags may preload mocks. */
export async function startWeb(env: ChildEnv = {}, options: string[] | LaunchOptions = {}): Promise<Running> {
  const port = await freePort();
  const proc = launch("build/server.js", { PORT: String(port), ...env }, [], asOptions(options));
  const url = `http://localhost:${port}`;
  await waitFor(async () => (await fetch(`${url}/healthz`)).ok, "web server", proc);
  return { url, ...proc };
}

/** Starts `build/worker.js` and waits for its "worker started" line; node flags may preload mocks. */
export async function startWorker(env: ChildEnv = {}, options: string[] | LaunchOptions = {}): Promise<Omit<Running, "url">> {
  const proc = launch("build/worker.js", env, [], asOptions(options));
  await waitFor(async () => proc.output().includes("worker started"), "worker", proc);
  return proc;
}

/** Runs `script` to completion (for processes expected to exit on their own). */
export async function runToExit(script: string, env: ChildEnv, args: string[] = [], timeoutMs = 60_000, options: LaunchOptions = {}) {
  const proc = launch(script, env, args, options);
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve) => proc.child.once("exit", resolve));
  clearTimeout(timer);
  return { code, output: proc.output() };
}
