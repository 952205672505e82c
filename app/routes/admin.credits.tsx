import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { z } from "zod";
import { AdjustmentError, adjustCredits } from "~/admin/jobs.server";
import { normaliseEmail } from "~/auth/forms";
import { requireStaff } from "~/auth/session.server";
import { redirectWithFlash } from "~/flash.server";
import { fieldErrors } from "~/forms";
import { Field } from "~/ui/Field";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return null;
}

const schema = z.object({
  email: z.string().transform(normaliseEmail).pipe(z.string().email("Enter the student's email address.")),
  amount: z.coerce
    .number({ invalid_type_error: "Enter a whole number of credits, e.g. 5 or -2." })
    .int("Enter a whole number of credits.")
    .refine((n) => n !== 0, "The adjustment cannot be zero.")
    .refine((n) => Math.abs(n) <= 1000, "Adjust by at most 1,000 credits at a time."),
  reason: z.string().trim().min(5, "Give a reason (at least 5 characters); it is kept in the audit log.").max(500),
  confirm: z.literal("yes", { errorMap: () => ({ message: "Tick the box to confirm." }) }),
});

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const values = Object.fromEntries(await request.formData());
  const parsed = schema.safeParse(values);
  const echo = { email: String(values.email ?? ""), amount: String(values.amount ?? ""), reason: String(values.reason ?? "") };
  if (!parsed.success) return data({ errors: fieldErrors<"email" | "amount" | "reason" | "confirm">(parsed.error), values: echo }, { status: 400 });
  try {
    const user = await adjustCredits(staff, parsed.data.email, parsed.data.amount, parsed.data.reason);
    const sign = parsed.data.amount > 0 ? "+" : "";
    return redirectWithFlash("/admin/credits", {
      kind: "success",
      message: `${sign}${parsed.data.amount} credits for ${user.email}; their balance is now ${user.credits}.`,
    });
  } catch (error) {
    if (!(error instanceof AdjustmentError)) throw error;
    return data({ errors: { email: error.message } as Record<string, string>, values: echo }, { status: 404 });
  }
}

export default function AdminCredits() {
  const result = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  return (
    <section className="panel narrow">
      <h1>Adjust a student's credits</h1>
      <p className="muted">Every adjustment is written to the student's credit history and the audit log with your reason.</p>
      <Form method="post" className="stack" noValidate>
        <Field label="Student email" error={errors.email}>
          <input name="email" type="email" required defaultValue={result?.values.email} />
        </Field>
        <Field label="Credits (negative to take away)" error={errors.amount}>
          <input name="amount" type="number" step={1} required defaultValue={result?.values.amount} />
        </Field>
        <Field label="Reason" error={errors.reason}>
          <input name="reason" required minLength={5} maxLength={500} defaultValue={result?.values.reason} />
        </Field>
        <label className="choice">
          <input type="checkbox" name="confirm" value="yes" required />
          <span>I have checked the student and the amount.</span>
        </label>
        {errors.confirm ? <p className="field-error">{errors.confirm}</p> : null}
        <button type="submit" className="button">
          Adjust credits
        </button>
      </Form>
    </section>
  );
}
