// One-time messages shown on the next page ("Welcome back", "Logged out"), kept in their own cookie.
import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { env, sessionSecret } from "~/env.server";

export type Flash = { kind: "success" | "error" | "info"; message: string };

function storage() {
  return createCookieSessionStorage<Record<string, never>, { flash: Flash }>({
    cookie: {
      name: "markm8_flash",
      secrets: [sessionSecret()],
      httpOnly: true,
      sameSite: "lax",
      secure: env().NODE_ENV === "production",
      path: "/",
    },
  });
}

/** Redirects to `to` with a message for the next page; `headers` may carry other Set-Cookie values. */
export async function redirectWithFlash(to: string, flash: Flash, headers: HeadersInit = {}): Promise<Response> {
  const { getSession, commitSession } = storage();
  const session = await getSession();
  session.flash("flash", flash);
  const out = new Headers(headers);
  out.append("Set-Cookie", await commitSession(session));
  return redirect(to, { headers: out });
}

/** The message waiting for this request, and the Set-Cookie header that consumes it. */
export async function takeFlash(request: Request): Promise<{ flash: Flash | null; setCookie: string | null }> {
  const { getSession, commitSession } = storage();
  const session = await getSession(request.headers.get("Cookie"));
  const flash = session.get("flash") ?? null;
  return { flash, setCookie: flash ? await commitSession(session) : null };
}
