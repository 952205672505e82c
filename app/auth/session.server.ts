// Sign-in sessions: a random token in a signed, HttpOnly, SameSite=Lax cookie, and a database row keyed
// by the token's SHA-256. Logging in always makes a new session; logging out deletes the row.
// `requireUser` and `requireStaff` guard loaders and actions in one line.
import { createHash, randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { db } from "~/db/client.server";
import { env, sessionSecret } from "~/env.server";
import type { User } from "~/generated/prisma/client";

const MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export type SessionUser = Pick<User, "id" | "email" | "role" | "credits">;

function cookie() {
  return createCookie("markm8_session", {
    secrets: [sessionSecret()],
    httpOnly: true,
    sameSite: "lax",
    secure: env().NODE_ENV === "production",
    path: "/",
    maxAge: MAX_AGE_SECONDS,
  });
}

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

async function tokenOf(request: Request): Promise<string | undefined> {
  const value: unknown = await cookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Creates a session for `userId` and returns its Set-Cookie header. */
export async function startSession(userId: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db().session.create({
    data: { id: digest(token), userId, expiresAt: new Date(Date.now() + MAX_AGE_SECONDS * 1000) },
  });
  return cookie().serialize(token);
}

/** Deletes the request's session (if any) and returns the Set-Cookie header that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const token = await tokenOf(request);
  if (token) await db().session.deleteMany({ where: { id: digest(token) } });
  return cookie().serialize("", { maxAge: 0 });
}

/** The signed-in user, or null. */
export async function getUser(request: Request): Promise<SessionUser | null> {
  const token = await tokenOf(request);
  if (!token) return null;
  const session = await db().session.findUnique({
    where: { id: digest(token) },
    select: { expiresAt: true, user: { select: { id: true, email: true, role: true, credits: true } } },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  return session.user;
}

/** The signed-in user; a visitor is sent to log in and brought back afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (user) return user;
  const url = new URL(request.url);
  const back = request.method === "GET" ? `${url.pathname}${url.search}` : url.pathname;
  throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
}

/** A signed-in staff member; a student gets 403. */
export async function requireStaff(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.role !== "STAFF") throw new Response("Staff only", { status: 403 });
  return user;
}

/** A same-site path to go to after logging in; anything else becomes `fallback`. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/essays"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
