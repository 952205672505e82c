// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or DIRECT_DATABASE_URL), or to the
// embedded database when neither is set, and says which it applied.
import { prepareDatabase } from "~/db/setup.server";

const database = await prepareDatabase();
console.log(database.applied.length ? `Applied: ${database.applied.join(", ")}` : "No pending migrations.");
await database.stop();
