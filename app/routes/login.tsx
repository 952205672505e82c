import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { authenticator } from "~/auth/authenticator.server";
import { getUser, safeRedirect, startSession } from "~/auth/session.server";
import { AccountError } from "~/auth/user.server";
import { redirectWithFlash } from "~/flash.server";
import type { FieldErrors } from "~/forms";
import { Field } from "~/ui/Field";

export const meta: MetaFunction = () => [{ title: "Log in · MarkM8" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/essays");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.clone().formData();
  const email = String(form.get("email") ?? "");
  try {
    const user = await authenticator.authenticate("password", request);
    // A fresh session id at every login, so a planted cookie never becomes a signed-in one.
    const cookie = await startSession(user.id);
    return redirectWithFlash(safeRedirect(form.get("redirectTo")), { kind: "success", message: "Welcome back." }, {
      "Set-Cookie": cookie,
    });
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    const errors: FieldErrors<"email" | "password"> = { [error.field]: error.message };
    return data({ errors, email }, { status: error.field === "form" ? 429 : 400 });
  }
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const pending = useNavigation().state !== "idle";
  return (
    <section className="panel narrow">
      <h1>Log in</h1>
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field label="Email" error={result?.errors.email}>
          <input name="email" type="email" autoComplete="email" required defaultValue={result?.email} />
        </Field>
        <Field label="Password" error={result?.errors.password}>
          <input name="password" type="password" autoComplete="current-password" required />
        </Field>
        {result?.errors.form ? <p className="form-error" role="alert">{result.errors.form}</p> : null}
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Logging in…" : "Log in"}
        </button>
      </Form>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </section>
  );
}
