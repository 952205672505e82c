// Opens the database a process will use: DATABASE_URL when set, otherwise the embedded server.
// Either way every pending migration is applied before the process serves or works.
import { startEmbedded } from "./embedded.server";
import { migrate } from "./migrate.server";

export type Database = { url: string; embedded: boolean; stop: () => Promise<void> };

/** Resolves the database, migrates it and sets process.env.DATABASE_URL for the rest of the process. */
export async function prepareDatabase(): Promise<Database> {
  const configured = process.env.DATABASE_URL?.trim();
  const database: Database = configured
    ? { url: configured, embedded: false, stop: async () => undefined }
    : { ...(await startEmbedded()), embedded: true };
  // Migrations take an advisory lock, which a transaction-mode pooler cannot hold: use the direct URL.
  await migrate(process.env.DIRECT_DATABASE_URL?.trim() || database.url);
  process.env.DATABASE_URL = database.url;
  return database;
}
