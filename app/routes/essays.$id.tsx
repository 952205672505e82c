import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { getEssay } from "~/grading/essays.server";
import { requireRubric } from "~/grading/rubrics";
import { GradeResult } from "~/ui/GradeResult";
import { StatusBadge } from "~/ui/StatusBadge";
import { useGradeProgress } from "~/ui/useGradeProgress";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.essay.title} · MarkM8` : "Essay · MarkM8" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const essay = await getEssay(params.id ?? "", user);
  if (!essay) throw new Response("Not found", { status: 404 });
  return { essay };
}

const PENDING_REFRESH_SECONDS = 3;

export default function EssayPage() {
  const { essay } = useLoaderData<typeof loader>();
  const rubric = requireRubric(essay.rubric);
  const grade = essay.grade;
  const pending = grade !== null && (grade.status === "QUEUED" || grade.status === "PROCESSING");
  const live = useGradeProgress(essay.id, {
    status: grade?.status ?? "COMPLETED",
    stage: grade?.stage ?? "",
    progress: grade?.progress ?? 0,
  });

  return (
    <>
      {pending ? (
        // Without JavaScript the page reloads itself until the grade is final.
        <noscript>
          <meta httpEquiv="refresh" content={String(PENDING_REFRESH_SECONDS)} />
        </noscript>
      ) : null}
      <p>
        <Link to="/essays">← My essays</Link>
      </p>
      <section className="panel">
        <div className="essay-head">
          <h1>{essay.title}</h1>
          {grade ? <StatusBadge status={live.status} /> : null}
        </div>
        <p className="muted">
          {rubric.name} · {essay.wordCount} words
        </p>
        {grade && pending ? (
          <div className="pending" data-testid="pending">
            <div
              className="progress"
              role="progressbar"
              aria-label="Grading progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={live.progress}
            >
              <span style={{ width: `${live.progress}%` }} />
            </div>
            <p className="stage" data-testid="stage" aria-live="polite">
              {live.stage}
            </p>
          </div>
        ) : null}
        {grade?.status === "FAILED" ? (
          <p className="form-error" role="alert" data-testid="failed">
            {grade.error ?? "Grading failed. Your credit has been refunded."}
          </p>
        ) : null}
        {grade?.status === "COMPLETED" && grade.result ? <GradeResult result={grade.result} rubric={rubric} /> : null}
      </section>
      <section className="panel">
        <h2>Your essay</h2>
        {essay.prompt ? (
          <p>
            <strong>Prompt:</strong> {essay.prompt}
          </p>
        ) : null}
        <div className="essay-body">{essay.body}</div>
      </section>
    </>
  );
}
