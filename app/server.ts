// The web process: Express serving the Remix build. It opens (and migrates) the database first, then
// serves; SIGTERM stops it taking requests and exits once open ones are done or a deadline passes.
import { randomUUID } from "node:crypto";
import { watch } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import express from "express";
import { closeDb } from "~/db/client.server";
import { closeListener } from "~/grading/listener.server";
import { stopBoss } from "~/queue/boss.server";
import { prepareDatabase } from "~/db/setup.server";
import { envOrExit } from "~/env.server";
import { bodyLimit, sameOrigin, securityHeaders } from "~/guards.server";
import { log, withLogContext } from "~/log.server";

const BUILD_PATH = path.resolve("build/index.js");

async function importBuild(): Promise<ServerBuild> {
  const { mtimeMs } = await stat(BUILD_PATH);
  return import(`${pathToFileURL(BUILD_PATH).href}?t=${mtimeMs}`) as Promise<ServerBuild>;
}

const config = envOrExit();
const logger = log();
const database = await prepareDatabase();
logger.info(
  { embedded: database.embedded, migrationsApplied: database.applied },
  database.embedded ? "using the embedded PostgreSQL" : "using DATABASE_URL",
);

// One controller per request, aborted when its connection closes (or at shutdown). Remix's own
// request.signal reaches loaders through Requests it derives, whose abort link undici holds weakly:
// after a garbage collection a client that left can go unnoticed, and an event stream would live on.
const open = new Set<AbortController>();
const loadContext = (_req: express.Request, res: express.Response) => {
  const controller = new AbortController();
  open.add(controller);
  res.on("close", () => {
    open.delete(controller);
    controller.abort();
  });
  return { disconnected: controller.signal, nonce: res.locals.nonce as string };
};
const handler = (current: ServerBuild) => createRequestHandler({ build: current, mode: config.NODE_ENV, getLoadContext: loadContext });

let build = await importBuild();
let handle = handler(build);
// Set by `remix dev`, which waits to hear that each new build is loaded.
const underRemixDev = Boolean(process.env.REMIX_DEV_ORIGIN);
if (underRemixDev) {
  // `remix dev` rewrites build/version.txt after each rebuild; load the new build, then tell it we did.
  watch(path.dirname(BUILD_PATH), async (_event, file) => {
    if (file !== "version.txt") return;
    build = await importBuild();
    handle = handler(build);
    broadcastDevReady(build);
  });
}

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", true);

app.use((req, res, next) => {
  const header = req.get("x-request-id");
  const requestId = header && /^[\w.-]{1,100}$/.test(header) ? header : randomUUID();
  res.setHeader("X-Request-Id", requestId);
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info({ requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms) }, "request");
  });
  withLogContext({ requestId }, next);
});

app.use(bodyLimit, sameOrigin, securityHeaders);
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", (req, res, next) => handle(req, res, next));

const server = app.listen(config.PORT, () => {
  logger.info({ port: config.PORT }, `MarkM8 web listening on http://localhost:${config.PORT}`);
  if (underRemixDev) broadcastDevReady(build);
});

let stopping = false;
/**
 * SIGTERM: stop taking connections, end every open event stream (browsers reconnect after the `retry`
 * delay each event carried, to another replica), let requests in flight finish, release the listening
 * connection, the queue and the pool, and exit. After WEB_SHUTDOWN_SECONDS, exit anyway.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, streams: open.size }, "shutting down");
  const deadline = setTimeout(() => {
    logger.warn("shutdown deadline passed; closing the remaining connections");
    server.closeAllConnections();
    process.exit(1);
  }, config.WEB_SHUTDOWN_SECONDS * 1000);
  deadline.unref();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const controller of open) controller.abort();
  // Keep-alive sockets go idle as their responses end; close them as they do.
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  await closed;
  clearInterval(idle);
  await Promise.allSettled([closeListener(), stopBoss(2_000)]);
  await closeDb();
  await database.stop();
  logger.info("web stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
