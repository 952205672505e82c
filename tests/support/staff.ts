// Staff accounts for tests, and the set of admin routes every guard test walks.
import { createUser } from "~/auth/user.server";
import { db } from "~/db/client.server";
import { PASSWORD, Visitor } from "./http";

export async function staffVisitor(base: string, email = `staff-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@school.org`) {
  const user = await createUser(email, PASSWORD);
  await db().user.update({ where: { id: user.id }, data: { role: "STAFF" } });
  const visitor = new Visitor(base);
  const response = await visitor.post("/login", { email, password: PASSWORD });
  if (response.status !== 302) throw new Error(`staff login answered ${response.status}`);
  return { visitor, id: user.id, email };
}
