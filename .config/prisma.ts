// Prisma CLI configuration. Every CLI command first checks that Prisma's native schema engine exists,
// which these machines cannot download. `generate`, `validate` and `format` never run it, so for them
// any existing file passes the check; every other command (`migrate deploy`) gets the real engine.
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const engineFree = ["generate", "validate", "format"];
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY && process.argv.some((arg) => engineFree.includes(arg))) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url));
}

export default defineConfig({
  schema: "../prisma/schema.prisma",
  migrations: { path: "../prisma/migrations" },
  // Migrations need a direct connection: a transaction-mode pooler breaks their advisory lock.
  datasource: { url: process.env.DIRECT_DATABASE_URL ?? process.env.DATABASE_URL ?? "" },
});
