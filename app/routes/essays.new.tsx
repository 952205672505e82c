import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useHydrated } from "remix-utils/use-hydrated";
import { requireUser } from "~/auth/session.server";
import { NoCreditsError } from "~/credits/ledger.server";
import { fieldErrors, type FieldErrors } from "~/forms";
import { countWords, essaySchema, LIMITS, type EssayField } from "~/grading/essayForm";
import { RUBRICS } from "~/grading/rubrics";
import { isUuid } from "~/ids";
import { submitEssay } from "~/grading/submit.server";
import { Field } from "~/ui/Field";

export const meta: MetaFunction = () => [{ title: "Grade an essay · MarkM8" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Each rendering of the form gets an id; a resubmission of the same form finds the first essay.
  return { credits: user.credits, submissionId: randomUUID() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const values = { title: text("title"), prompt: text("prompt"), rubric: text("rubric"), body: text("body") };
  const submissionId = isUuid(text("submissionId")) ? text("submissionId").toLowerCase() : randomUUID();
  const parsed = essaySchema.safeParse(values);
  if (!parsed.success) {
    return data({ errors: fieldErrors<EssayField>(parsed.error), values, submissionId }, { status: 400 });
  }
  try {
    const essayId = await submitEssay(user.id, parsed.data, submissionId);
    return redirect(`/essays/${essayId}`);
  } catch (error) {
    if (!(error instanceof NoCreditsError)) throw error;
    const message =
      error.balance < 0
        ? `Your balance is ${error.balance} because a payment was refunded or disputed. Buy credits to bring it above zero, then submit again.`
        : "You have no credits left. Buy credits to grade this essay; your text is kept below.";
    const errors: FieldErrors<EssayField> = { form: message };
    return data({ errors, values, submissionId, noCredits: true }, { status: 402 });
  }
}

export default function NewEssay() {
  const { credits, submissionId: fresh } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formAction?.startsWith("/essays/new");
  const values = result?.values;
  // With JavaScript the same zod schema checks the form before it is sent; the server checks again.
  const [clientErrors, setClientErrors] = useState<FieldErrors<EssayField> | null>(null);
  const errors = clientErrors ?? result?.errors ?? {};
  const [words, setWords] = useState(() => countWords(values?.body ?? ""));
  const wordsOk = words >= LIMITS.minWords && words <= LIMITS.maxWords;
  // The count follows typing only with JavaScript; without it, say nothing rather than "0 words".
  const hydrated = useHydrated();

  return (
    <section className="panel">
      <h1>Grade an essay</h1>
      <p className="muted">
        Grading uses one credit; you have <strong>{credits}</strong>. If grading fails, the credit comes back automatically.
      </p>
      {credits < 1 && !errors.form ? (
        <p className="notice">
          You have no credits left. <Link to="/billing">Buy credits</Link> to grade more essays.
        </p>
      ) : null}
      <Form
        method="post"
        className="stack"
        noValidate
        aria-busy={submitting || undefined}
        onSubmit={(event) => {
          const parsed = essaySchema.safeParse(Object.fromEntries(new FormData(event.currentTarget)));
          setClientErrors(parsed.success ? null : fieldErrors<EssayField>(parsed.error));
          if (!parsed.success) event.preventDefault();
        }}
      >
        <input type="hidden" name="submissionId" value={result?.submissionId ?? fresh} />
        <Field label="Title" error={errors.title}>
          <input name="title" required maxLength={LIMITS.titleMax} defaultValue={values?.title} autoComplete="off" />
        </Field>
        <Field label="Assignment prompt (optional)" error={errors.prompt} hint="The question or task you were given, so graders judge the essay against it.">
          <textarea name="prompt" rows={3} maxLength={LIMITS.promptMax} defaultValue={values?.prompt} style={{ minHeight: "5rem" }} />
        </Field>
        <fieldset className={errors.rubric ? "field field-invalid" : "field"} aria-describedby={errors.rubric ? "rubric-error" : undefined}>
          <legend>Rubric</legend>
          {RUBRICS.map((rubric, i) => (
            <label key={rubric.id} className="choice">
              <input
                type="radio"
                name="rubric"
                value={rubric.id}
                defaultChecked={values ? values.rubric === rubric.id : i === 0}
                required
              />
              <span>
                <strong>{rubric.name}</strong>
                <span className="muted"> — {rubric.summary}</span>
              </span>
            </label>
          ))}
          {errors.rubric ? (
            <p id="rubric-error" className="field-error" role="alert">
              {errors.rubric}
            </p>
          ) : null}
        </fieldset>
        <Field label="Your essay" error={errors.body} hint={`Paste or type ${LIMITS.minWords.toLocaleString("en")} to ${LIMITS.maxWords.toLocaleString("en")} words of plain text.`}>
          <textarea name="body" required rows={18} defaultValue={values?.body} onChange={(event) => setWords(countWords(event.currentTarget.value))} />
        </Field>
        {hydrated ? (
          <p className={wordsOk ? "word-count word-count-ok" : "word-count"} aria-live="polite" data-testid="word-count">
            {words.toLocaleString("en")} word{words === 1 ? "" : "s"}
            {words > 0 && words < LIMITS.minWords ? ` — ${LIMITS.minWords - words} more needed` : ""}
            {words > LIMITS.maxWords ? ` — ${(words - LIMITS.maxWords).toLocaleString("en")} over the limit` : ""}
          </p>
        ) : null}
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form} {"noCredits" in (result ?? {}) ? <Link to="/billing">Buy credits</Link> : null}
          </p>
        ) : null}
        <button type="submit" className="button button-large" disabled={submitting} aria-disabled={submitting || undefined}>
          {submitting ? "Submitting…" : "Submit for grading (1 credit)"}
        </button>
      </Form>
    </section>
  );
}
