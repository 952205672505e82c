import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/auth/session.server";
import { redirectWithFlash } from "~/flash.server";

export async function action({ request }: ActionFunctionArgs) {
  const cleared = await endSession(request);
  return redirectWithFlash("/", { kind: "info", message: "You are logged out." }, { "Set-Cookie": cleared });
}

// Logging out changes state, so it is a POST; a plain visit goes home.
export function loader() {
  return redirect("/");
}
