import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { errorText } from "~/admin/jobs";
import { cancelJob, jobDetail, retryJobs } from "~/admin/jobs.server";
import { requireStaff } from "~/auth/session.server";
import { redirectWithFlash } from "~/flash.server";
import { rubricById } from "~/grading/rubrics";
import { formatTime } from "~/ui/format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const detail = await jobDetail(params.id ?? "");
  if (!detail) throw new Response("Not found", { status: 404 });
  return { ...detail, error: errorText(detail.job.output) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = form.get("intent");
  const reason = String(form.get("reason") ?? "").trim().slice(0, 500);
  const here = `/admin/jobs/${id}`;
  if (intent === "retry") {
    const [retried] = await retryJobs(staff, [id], reason || undefined);
    return retried
      ? redirectWithFlash(here, { kind: "success", message: "Retried: the job is back in the queue." })
      : data({ error: "Only a failed job whose grade has been failed can be retried." }, { status: 409 });
  }
  if (intent === "cancel") {
    if (form.get("confirm") !== "yes") return data({ error: "Tick the box to confirm the cancellation." }, { status: 400 });
    if (!reason) return data({ error: "Give a reason for the cancellation." }, { status: 400 });
    return (await cancelJob(staff, id, reason))
      ? redirectWithFlash(here, { kind: "success", message: "Cancelled: the grade failed and the student's credit was refunded." })
      : data({ error: "Only a job still waiting in the queue can be cancelled." }, { status: 409 });
  }
  return data({ error: "Unknown action." }, { status: 400 });
}


type Usage = { attempt: number; model: string; ok: boolean; error: string | null; calls: number; tokensIn: number; tokensOut: number; durationMs: number };

export default function AdminJob() {
  const { job, timeline, essay, grade, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const usage = (Array.isArray(grade?.usage) ? grade.usage : []) as Usage[];
  const waiting = job.state === "created" || job.state === "retry";
  return (
    <>
      <p>
        <Link to="/admin/jobs">← Jobs</Link>
      </p>
      <section className="panel">
        <h1>Job {job.id}</h1>
        <p>
          <span className={`badge badge-${job.state === "failed" ? "failed" : "queued"}`}>{job.stuck ? "stuck" : job.state}</span>{" "}
          attempt {job.retryCount + 1} of {job.retryLimit + 1} · grade <span data-testid="grade-status">{job.gradeStatus?.toLowerCase() ?? "missing"}</span> · student{" "}
          {job.email ?? "—"}
          {job.essayId ? (
            <>
              {" · "}
              <Link to={`/essays/${job.essayId}`}>the student's page</Link>
            </>
          ) : null}
        </p>
        {result?.error ? (
          <p className="form-error" role="alert">
            {result.error}
          </p>
        ) : null}
        {job.state === "failed" ? (
          <Form method="post" className="row">
            <input type="hidden" name="intent" value="retry" />
            <button type="submit" className="button">
              Retry this job
            </button>
            <span className="muted">The student is not charged again.</span>
          </Form>
        ) : null}
        {waiting ? (
          <Form method="post" className="stack danger-zone">
            <input type="hidden" name="intent" value="cancel" />
            <label>
              Reason for cancelling <input name="reason" required maxLength={500} />
            </label>
            <label className="choice">
              <input type="checkbox" name="confirm" value="yes" required />
              <span>Yes, cancel this grading: the grade fails and the student gets the credit back.</span>
            </label>
            <button type="submit" className="button button-danger">
              Cancel job
            </button>
          </Form>
        ) : null}
      </section>
      <section className="panel">
        <h2>Error</h2>
        {error ? <p>{error}</p> : <p className="muted">No error recorded.</p>}
        {job.output ? <pre className="code" data-testid="job-output">{JSON.stringify(job.output, null, 2)}</pre> : null}
        {job.gradeError ? <p>Shown to the student: {job.gradeError}</p> : null}
      </section>
      <section className="panel">
        <h2>Attempts</h2>
        {usage.length === 0 ? (
          <p className="muted">{grade?.offline ? "Graded by the offline estimator." : "No grader calls recorded."}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Attempt</th>
                <th scope="col">Model</th>
                <th scope="col">Outcome</th>
                <th scope="col">Calls</th>
                <th scope="col">Tokens in / out</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {usage.map((row, i) => (
                <tr key={i}>
                  <td>{row.attempt}</td>
                  <td>{row.model}</td>
                  <td>{row.ok ? "ok" : row.error}</td>
                  <td>{row.calls}</td>
                  <td>
                    {row.tokensIn} / {row.tokensOut}
                  </td>
                  <td>{(row.durationMs / 1000).toFixed(1)} s</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2>Grade timeline</h2>
        <ol className="timeline">
          {timeline.map((event) => (
            <li key={event.id}>
              <span className="muted">{formatTime(event.createdAt, true)}</span> {event.status.toLowerCase()}, {event.progress}%: {event.stage}
            </li>
          ))}
        </ol>
      </section>
      {essay ? (
        <section className="panel">
          <h2>{essay.title}</h2>
          <p className="muted">
            {rubricById(essay.rubric)?.name ?? essay.rubric} · {essay.wordCount} words
          </p>
          {essay.prompt ? <p>Prompt: {essay.prompt}</p> : null}
          <div className="essay-body">{essay.body}</div>
        </section>
      ) : null}
    </>
  );
}
