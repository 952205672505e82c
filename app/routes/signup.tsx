import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { PASSWORD_MAX, PASSWORD_MIN, signupSchema } from "~/auth/forms";
import { getUser, startSession } from "~/auth/session.server";
import { AccountError, createUser } from "~/auth/user.server";
import { redirectWithFlash } from "~/flash.server";
import { fieldErrors, type FieldErrors } from "~/forms";
import { Field } from "~/ui/Field";

export const meta: MetaFunction = () => [{ title: "Sign up · MarkM8" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/essays");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const email = typeof form.email === "string" ? form.email : "";
  const parsed = signupSchema.safeParse(form);
  if (!parsed.success) {
    return data({ errors: fieldErrors<"email" | "password">(parsed.error), email }, { status: 400 });
  }
  try {
    const user = await createUser(parsed.data.email, parsed.data.password);
    const cookie = await startSession(user.id);
    return redirectWithFlash(
      "/essays/new",
      { kind: "success", message: "Welcome to MarkM8! Your starter credits are ready." },
      { "Set-Cookie": cookie },
    );
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    const errors: FieldErrors<"email" | "password"> = { [error.field]: error.message };
    return data({ errors, email }, { status: 400 });
  }
}

export default function Signup() {
  const result = useActionData<typeof action>();
  const pending = useNavigation().state !== "idle";
  return (
    <section className="panel narrow">
      <h1>Create your account</h1>
      <p>Free to start: new accounts get starter credits to grade their first essays.</p>
      <Form method="post" noValidate className="stack">
        <Field label="Email" error={result?.errors.email}>
          <input name="email" type="email" autoComplete="email" required maxLength={254} defaultValue={result?.email} />
        </Field>
        <Field label="Password" error={result?.errors.password} hint={`At least ${PASSWORD_MIN} characters; a short sentence works well.`}>
          <input name="password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN} maxLength={PASSWORD_MAX} />
        </Field>
        {result?.errors.form ? <p className="form-error" role="alert">{result.errors.form}</p> : null}
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Creating account…" : "Sign up"}
        </button>
      </Form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}
