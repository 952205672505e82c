// The Prisma client of this process, over node-postgres through @prisma/adapter-pg, created on first
// use from DATABASE_URL. One per process, kept on globalThis so development rebuilds reuse it.
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "~/env.server";
import { PrismaClient } from "~/generated/prisma/client";

declare global {
  // eslint-disable-next-line no-var
  var __markm8Db: PrismaClient | undefined;
}

function create(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: call prepareDatabase() before using the database");
  const adapter = new PrismaPg({
    connectionString: url,
    application_name: `markm8-${process.env.MARKM8_PROCESS ?? "web"}`,
    max: env().DATABASE_POOL_SIZE,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

/** The shared client; the connection pool opens lazily. */
export function db(): PrismaClient {
  globalThis.__markm8Db ??= create();
  return globalThis.__markm8Db;
}

/** Closes the pool (at shutdown, and between tests). */
export async function closeDb(): Promise<void> {
  const client = globalThis.__markm8Db;
  globalThis.__markm8Db = undefined;
  await client?.$disconnect();
}
