// The process environment, parsed once with zod. A missing or malformed variable stops the process
// with a message that names it. DATABASE_URL is read where the database is opened (db/client.server.ts)
// because, when unset, the embedded server fills it in after start-up.
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SESSION_SECRET: optional,
    DATABASE_URL: optional,
    DIRECT_DATABASE_URL: optional,
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    STARTER_CREDITS: z.coerce.number().int().min(0).max(1000).default(3),
    DATA_DIR: optional,
    WEB_SHUTDOWN_SECONDS: z.coerce.number().min(1).max(600).default(10),
    SSE_HEARTBEAT_SECONDS: z.coerce.number().min(1).max(300).default(15),
    // Payments
    STRIPE_SECRET_KEY: optional,
    STRIPE_WEBHOOK_SECRET: optional,
    /** Credit packs for sale: `credits:price` pairs, the price in the currency's smallest unit. */
    CREDIT_PACKS: z
      .string()
      .default("10:500,50:2000")
      .transform((value, ctx) =>
        value.split(",").flatMap((pair) => {
          const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(pair);
          if (!match || Number(match[1]) < 1 || Number(match[2]) < 50) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${pair}" is not credits:price (e.g. 10:500), price at least 50` });
            return [];
          }
          return [{ credits: Number(match[1]), amount: Number(match[2]) }];
        }),
      ),
    CURRENCY: z.string().regex(/^[a-z]{3}$/, "a three-letter ISO currency code in lower case, e.g. usd").default("usd"),
    /** The public origin for Stripe's return links; by default the origin of the request. */
    APP_URL: z.string().url().optional(),
    // Grading
    OPENAI_API_KEY: optional,
    OPENAI_BASE_URL: z.string().url().default("https://openrouter.ai/api/v1"),
    GRADER_MODELS: z
      .string()
      .default("openai/gpt-4.1-mini,anthropic/claude-haiku-4.5,google/gemini-2.5-flash")
      .transform((value) => value.split(",").map((model) => model.trim()).filter(Boolean))
      .pipe(z.array(z.string()).min(2, "name at least two models, comma-separated").max(5, "name at most five models")),
    GRADER_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(60),
    // Worker
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    WORKER_POLL_SECONDS: z.coerce.number().min(0.5).max(600).default(5),
    WORKER_SHUTDOWN_SECONDS: z.coerce.number().min(1).max(600).default(25),
    GRADE_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(3),
    GRADE_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
  })
  .superRefine((value, ctx) => {
    if (value.NODE_ENV !== "production") return;
    if (!value.SESSION_SECRET || value.SESSION_SECRET.length < 32) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["SESSION_SECRET"],
        message: "required in production: at least 32 random characters (openssl rand -hex 32)",
      });
    }
  });

export type Env = z.infer<typeof schema>;

/** Parses `source` (the process environment by default); throws an Error naming every bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`Invalid environment:\n${lines.join("\n")}`);
}

let cached: Env | undefined;

/** The environment of this process, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** The environment, or, when it is invalid, a message naming each bad variable and exit code 1. */
export function envOrExit(): Env {
  try {
    return env();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

/** A secret for signing cookies: the configured one, or a fixed one outside production. */
export function sessionSecret(): string {
  return env().SESSION_SECRET ?? "markm8-development-secret-not-for-production";
}
