// Opens the database a process will use: DATABASE_URL when set, otherwise the embedded server.
// Either way every pending migration is applied before the process serves or works.
import { startEmbedded } from "./embedded.server";
import { migrate } from "./migrate.server";

export type Database = { url: string; embedded: boolean; applied: string[]; stop: () => Promise<void> };

/** Resolves the database, migrates it and sets process.env.DATABASE_URL for the rest of the process. */
export async function prepareDatabase(): Promise<Database> {
  const configured = process.env.DATABASE_URL?.trim();
  const { url, stop } = configured ? { url: configured, stop: async () => undefined } : await startEmbedded();
  // Migrations take an advisory lock, which a transaction-mode pooler cannot hold: use the direct URL.
  const applied = await migrate(process.env.DIRECT_DATABASE_URL?.trim() || url);
  process.env.DATABASE_URL = url;
  return { url, embedded: !configured, applied, stop };
}
