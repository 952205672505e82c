// Once per test run: find a PostgreSQL server (DATABASE_URL, or an embedded one under .data/test),
// build a migrated template database with pg-boss's schema, and hand both to the test files, each of
// which copies the template into a database of its own (tests/setup/database.ts).
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { getConstructionPlans } from "pg-boss";
import type { TestProject } from "vitest/node";
import { startEmbedded } from "~/db/embedded.server";
import { migrate } from "~/db/migrate.server";
import { withDatabase } from "../support/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    templateDb: string;
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbedded(path.resolve(".data/test"));
  const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const templateDb = `markm8_tpl_${runId}`;

  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${templateDb}"`);
  await admin.end();

  const templateUrl = withDatabase(serverUrl, templateDb);
  await migrate(templateUrl);
  const client = new pg.Client({ connectionString: templateUrl });
  await client.connect();
  await client.query(getConstructionPlans("pgboss"));
  await client.end();

  project.provide("serverUrl", serverUrl);
  project.provide("templateDb", templateDb);
  project.provide("runId", runId);

  return async () => {
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    const { rows } = await cleanup.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`markm8_%${runId}%`],
    );
    for (const { datname } of rows) await cleanup.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await cleanup.end();
    await embedded?.stop();
  };
}
