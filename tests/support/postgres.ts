// Test databases: each test file works in a fresh copy of the run's migrated template.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { startEmbedded } from "~/db/embedded.server";
import { migrate } from "~/db/migrate.server";

/** `url` pointed at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates a fresh database copied from `template`; returns its URL and a function that drops it. */
export async function copyTemplate(serverUrl: string, template: string, runId: string) {
  const name = `markm8_t_${runId}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

async function adminQuery(serverUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * For benchmark scripts: a migrated database of their own on DATABASE_URL's server (or an embedded one
 * under .data/bench), and a function that drops it.
 */
export async function scratchDatabase(prefix: string) {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbedded(path.resolve(".data/bench"));
  const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
  const name = `${prefix}_${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  const url = withDatabase(serverUrl, name);
  await migrate(url);
  return {
    serverUrl,
    name,
    url,
    drop: async () => {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await embedded?.stop();
    },
  };
}
