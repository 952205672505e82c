// Structured JSON logs (pino). Every line carries the context it was written in: the request id in the
// web process, the job and grade ids in the worker (withLogContext). Passwords, cookies, authorization
// headers and essay texts are redacted wherever they appear; secrets are never logged.
import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";
import { env } from "~/env.server";

type Context = Record<string, string>;

declare global {
  // eslint-disable-next-line no-var
  var __markm8Log: pino.Logger | undefined;
  // One store per process, shared by the server bundle and the Remix build.
  // eslint-disable-next-line no-var
  var __markm8LogContext: AsyncLocalStorage<Context> | undefined;
}

function contextStore(): AsyncLocalStorage<Context> {
  globalThis.__markm8LogContext ??= new AsyncLocalStorage<Context>();
  return globalThis.__markm8LogContext;
}

/** Runs `fn` with `context` added to every log line written inside it. */
export function withLogContext<T>(context: Context, fn: () => T): T {
  return contextStore().run({ ...contextStore().getStore(), ...context }, fn);
}

/** This process's logger. */
export function log(): pino.Logger {
  globalThis.__markm8Log ??= pino({
    level: env().NODE_ENV === "test" && !process.env.LOG_LEVEL ? "warn" : env().LOG_LEVEL,
    base: { process: process.env.MARKM8_PROCESS ?? "web" },
    mixin: () => contextStore().getStore() ?? {},
    redact: {
      paths: [
        "password",
        "*.password",
        "passwordHash",
        "*.passwordHash",
        "cookie",
        "*.cookie",
        "headers.cookie",
        "*.headers.cookie",
        "authorization",
        "*.authorization",
        "*.headers.authorization",
        "body",
        "*.body",
        "essay",
        "*.essay",
      ],
      censor: "[redacted]",
    },
  });
  return globalThis.__markm8Log;
}
