// `npm run staff:add -- someone@school.org`: promotes an account to staff, or creates a staff account
// with a random password that is printed once.
import { randomBytes } from "node:crypto";
import { normaliseEmail } from "~/auth/forms";
import { hashPassword } from "~/auth/password.server";
import { closeDb, db } from "~/db/client.server";
import { prepareDatabase } from "~/db/setup.server";

const raw = process.argv[2];
const email = raw ? normaliseEmail(raw) : "";
if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
  console.error("Usage: npm run staff:add -- someone@school.org");
  process.exit(2);
}

const database = await prepareDatabase();
try {
  const existing = await db().user.findUnique({ where: { email }, select: { role: true } });
  if (existing) {
    await db().user.update({ where: { email }, data: { role: "STAFF" } });
    console.log(existing.role === "STAFF" ? `${email} is already staff.` : `${email} is now staff.`);
  } else {
    const password = randomBytes(12).toString("base64url");
    await db().user.create({ data: { email, role: "STAFF", passwordHash: await hashPassword(password) } });
    console.log(`Created staff account ${email} with password: ${password}\nKeep it safe; it is not shown again.`);
  }
} finally {
  await closeDb();
  await database.stop();
}
