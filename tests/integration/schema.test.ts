// prisma/schema.prisma and prisma/migrations must describe the same database. The migrations (applied
// by our own migrator, as in every test database) are compared with Prisma's reading of the schema:
// tables, columns, types, nullability, defaults, enums, keys, indexes and foreign keys.
import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import { migrate, migrationsDir, readMigrations } from "~/db/migrate.server";
import { copyTemplate, withDatabase } from "../support/postgres";

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  hasDefaultValue: boolean;
  isUpdatedAt: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[]; primaryKey: { fields: string[] } | null };
type DmmfIndex = { model: string; type: "id" | "unique" | "normal"; fields: { name: string; sortOrder?: "asc" | "desc" }[] };
type Dmmf = {
  datamodel: { models: DmmfModel[]; enums: { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }[]; indexes: DmmfIndex[] };
};

const schemaText = await readFile(path.resolve("prisma/schema.prisma"), "utf8");
const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schemaText]] }))) as Dmmf;

const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (model: DmmfModel, fieldName: string) => {
  const field = model.fields.find((f) => f.name === fieldName);
  return field?.dbName ?? fieldName;
};

function expectedType(field: DmmfField): string {
  if (field.kind === "enum") return field.type;
  const native = field.nativeType?.[0];
  const args = field.nativeType?.[1] ?? [];
  switch (field.type) {
    case "String":
      return native === "Uuid" ? "uuid" : native === "VarChar" ? `character varying(${args[0]})` : "text";
    case "Int":
      return "integer";
    case "BigInt":
      return "bigint";
    case "Float":
      return "double precision";
    case "Boolean":
      return "boolean";
    case "Json":
      return "jsonb";
    case "Decimal":
      return `numeric(${args[0] ?? 65},${args[1] ?? 30})`;
    case "DateTime":
      return native === "Timestamptz" ? `timestamp(${args[0] ?? 6}) with time zone` : `timestamp(${args[0] ?? 3}) without time zone`;
    default:
      throw new Error(`no mapping for ${field.type}`);
  }
}

/** Defaults Prisma keeps in the database (not client-side ones such as uuid()). */
function hasDatabaseDefault(field: DmmfField): boolean {
  if (!field.hasDefaultValue) return false;
  const value = field.default as { name?: string } | undefined;
  return !(typeof value === "object" && value && !Array.isArray(value) && ["uuid", "cuid", "nanoid", "ulid"].includes(value.name ?? ""));
}

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

describe("schema.prisma and prisma/migrations", () => {
  it("have the same enums", async () => {
    const { rows } = await client.query<{ name: string; values: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname ORDER BY t.typname`);
    const expected = dmmf.datamodel.enums
      .map((e) => ({ name: e.dbName ?? e.name, values: e.values.map((v) => v.dbName ?? v.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(rows).toEqual(expected);
  });

  it("have the same tables and columns, with types, nullability and defaults", async () => {
    const { rows } = await client.query<{ table: string; column: string; type: string; nullable: boolean; hasDefault: boolean }>(`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
             NOT a.attnotnull AS nullable, a.atthasdef AS "hasDefault"
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relname <> '_prisma_migrations'`);
    const actual = rows.map((r) => ({ ...r, type: r.type.replace(/^"(.*)"$/, "$1") })).sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
    const expected = dmmf.datamodel.models
      .flatMap((model) =>
        model.fields
          .filter((field) => field.kind !== "object")
          .map((field) => ({
            table: tableOf(model),
            column: field.dbName ?? field.name,
            type: field.isList ? `${expectedType(field)}[]` : expectedType(field),
            // Prisma creates list columns without NOT NULL.
            nullable: field.isList ? true : !field.isRequired,
            hasDefault: hasDatabaseDefault(field),
          })),
      )
      .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
    expect(actual).toEqual(expected);
  });

  it("have the same primary keys, unique constraints and indexes", async () => {
    const { rows } = await client.query<{ table: string; columns: string[]; unique: boolean; primary: boolean; desc: boolean[] }>(`
      SELECT t.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
             array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
             array(SELECT (opt & 1) = 1 FROM unnest(i.indoption) WITH ORDINALITY o(opt, ord) ORDER BY o.ord) AS desc
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`);
    const key = (r: { table: string; columns: string[]; unique: boolean; primary: boolean; desc: boolean[] }) =>
      `${r.table}(${r.columns.map((c, i) => `${c}${r.desc[i] ? " desc" : ""}`).join(",")})${r.primary ? " pk" : r.unique ? " unique" : ""}`;
    const expected = dmmf.datamodel.indexes.map((index) => {
      const model = dmmf.datamodel.models.find((m) => m.name === index.model)!;
      return key({
        table: tableOf(model),
        columns: index.fields.map((f) => columnOf(model, f.name)),
        desc: index.fields.map((f) => f.sortOrder === "desc"),
        unique: index.type !== "normal",
        primary: index.type === "id",
      });
    });
    expect(rows.map(key).sort()).toEqual(expected.sort());
  });

  it("have the same foreign keys and delete rules", async () => {
    const { rows } = await client.query<{ def: string }>(`
      SELECT c.conrelid::regclass::text || ' ' || pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`);
    const actions: Record<string, string> = { Cascade: "CASCADE", Restrict: "RESTRICT", SetNull: "SET NULL", NoAction: "NO ACTION", SetDefault: "SET DEFAULT" };
    const expected = dmmf.datamodel.models.flatMap((model) =>
      model.fields
        .filter((field) => field.kind === "object" && field.relationFromFields?.length)
        .map((field) => {
          const target = dmmf.datamodel.models.find((m) => m.name === field.type)!;
          const from = field.relationFromFields!.map((f) => columnOf(model, f)).join(", ");
          const to = field.relationToFields!.map((f) => columnOf(target, f)).join(", ");
          const onDelete = actions[field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull")];
          // Prisma's default update rule is CASCADE; PostgreSQL omits NO ACTION from the definition.
          const rules = [" ON UPDATE CASCADE", onDelete === "NO ACTION" ? "" : ` ON DELETE ${onDelete}`].join("");
          return `${tableOf(model)} FOREIGN KEY (${from}) REFERENCES ${tableOf(target)}(${to})${rules}`;
        }),
    );
    expect(rows.map((r) => r.def).sort()).toEqual(expected.sort());
  });
});

describe("the migrator", () => {
  it("records migrations the way prisma migrate does, and a second run applies nothing", async () => {
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const onDisk = await readMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
    for (const migration of onDisk) {
      const sql = await readFile(path.join(migrationsDir, migration.name, "migration.sql"));
      const row = rows.find((r) => r.migration_name === migration.name)!;
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }
    expect(await migrate(process.env.DATABASE_URL!)).toEqual([]);
  });

  it("migrates an empty database, and refuses a migration edited after it was applied", async () => {
    const admin = new pg.Client({ connectionString: inject("serverUrl") });
    await admin.connect();
    const name = `markm8_t_${inject("runId")}_empty`;
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = withDatabase(inject("serverUrl"), name);
    const applied = await migrate(url);
    expect(applied).toEqual((await readMigrations()).map((m) => m.name));

    const edited = await mkdtemp(path.join(tmpdir(), "markm8-migrations-"));
    await cp(migrationsDir, edited, { recursive: true });
    const first = applied[0]!;
    await writeFile(path.join(edited, first, "migration.sql"), "-- edited\nSELECT 1;\n");
    await expect(migrate(url, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it("serialises concurrent runs on one database", async () => {
    const fresh = await copyTemplate(inject("serverUrl"), "template0", inject("runId"));
    const results = await Promise.all([migrate(fresh.url), migrate(fresh.url), migrate(fresh.url)]);
    expect(results.flat()).toEqual((await readMigrations()).map((m) => m.name));
    await fresh.drop();
  });
});
