// Structured JSON logs (pino). Secrets, cookies and passwords are redacted wherever they appear.
import pino from "pino";
import { env } from "~/env.server";

declare global {
  // eslint-disable-next-line no-var
  var __markm8Log: pino.Logger | undefined;
}

/** This process's logger; `log().child({ requestId })` adds context to every line. */
export function log(): pino.Logger {
  globalThis.__markm8Log ??= pino({
    level: env().NODE_ENV === "test" && !process.env.LOG_LEVEL ? "warn" : env().LOG_LEVEL,
    base: { process: process.env.MARKM8_PROCESS ?? "web" },
    redact: {
      paths: ["password", "*.password", "headers.cookie", "*.headers.cookie", "authorization", "*.authorization", "body", "*.body"],
      censor: "[redacted]",
    },
  });
  return globalThis.__markm8Log;
}
