// Before each test file: a database of its own, so parallel files never see each other's rows.
import { afterAll, inject } from "vitest";
import { closeDb } from "~/db/client.server";
import { stopBoss } from "~/queue/boss.server";
import { copyTemplate } from "../support/postgres";
import { killAll } from "../support/processes";

const database = await copyTemplate(inject("serverUrl"), inject("templateDb"), inject("runId"));
process.env.DATABASE_URL = database.url;
delete process.env.DIRECT_DATABASE_URL;

afterAll(async () => {
  killAll();
  await stopBoss(2_000);
  await closeDb();
  await database.drop();
});
