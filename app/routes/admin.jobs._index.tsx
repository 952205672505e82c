import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { JOB_FILTERS, errorText, type JobFilter } from "~/admin/jobs";
import { listJobs, retryJobs } from "~/admin/jobs.server";
import { requireStaff } from "~/auth/session.server";
import { redirectWithFlash } from "~/flash.server";
import { formatTime } from "~/ui/format";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const url = new URL(request.url);
  const state = (JOB_FILTERS as readonly string[]).includes(url.searchParams.get("state") ?? "")
    ? (url.searchParams.get("state") as JobFilter)
    : "problems";
  const email = (url.searchParams.get("email") ?? "").trim().slice(0, 254);
  const page = Math.max(0, Math.min(10_000, Number(url.searchParams.get("page")) || 0));
  const { rows, hasMore } = await listJobs(state, email, page);
  return { state, email, page, hasMore, rows: rows.map((row) => ({ ...row, error: errorText(row.output) })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const form = await request.formData();
  const ids = form.getAll("ids").map(String);
  if (ids.length === 0) return data({ error: "Select at least one failed job to retry." }, { status: 400 });
  const retried = await retryJobs(staff, ids);
  const skipped = ids.length - retried.length;
  const back = new URL(request.url);
  return redirectWithFlash(`${back.pathname}${back.search}`, {
    kind: retried.length ? "success" : "error",
    message:
      `Retried ${retried.length} job${retried.length === 1 ? "" : "s"}.` +
      (skipped ? ` ${skipped} could not be retried (not failed, or still being failed).` : ""),
  });
}


export default function AdminJobs() {
  const { state, email, page, hasMore, rows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const pageLink = (to: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(to));
    return `?${next}`;
  };
  return (
    <>
      <h1>Grading jobs</h1>
      <Form method="get" className="row filters" role="search">
        <label>
          Show{" "}
          <select name="state" defaultValue={state}>
            {JOB_FILTERS.map((filter) => (
              <option key={filter} value={filter}>
                {filter === "problems" ? "failed and stuck" : filter}
              </option>
            ))}
          </select>
        </label>
        <label>
          Student email <input type="search" name="email" defaultValue={email} placeholder="name@school.org" />
        </label>
        <button type="submit" className="button button-quiet">
          Filter
        </button>
      </Form>
      {result?.error ? (
        <p className="form-error" role="alert">
          {result.error}
        </p>
      ) : null}
      <Form method="post" className="panel" style={{ padding: 0 }}>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Select</span>
                </th>
                <th scope="col">Job</th>
                <th scope="col">Student and essay</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Times (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={6}>No jobs match.</td>
                </tr>
              ) : (
                rows.map((row) => (
                  <tr key={row.id} data-testid="job-row">
                    <td>
                      {row.state === "failed" ? (
                        <input type="checkbox" name="ids" value={row.id} aria-label={`Select job ${row.id}`} />
                      ) : null}
                    </td>
                    <td>
                      <Link to={`/admin/jobs/${row.id}`}>{row.id.slice(0, 8)}</Link>
                      <div>
                        <span className={`badge badge-${row.state === "failed" ? "failed" : row.stuck ? "processing" : "queued"}`}>
                          {row.stuck ? "stuck" : row.state}
                        </span>
                      </div>
                      {row.gradeStatus ? <div className="muted">grade {row.gradeStatus.toLowerCase()}</div> : null}
                    </td>
                    <td>
                      {row.email ?? "—"}
                      <div className="muted">{row.title ?? "(no essay)"}</div>
                    </td>
                    <td>
                      {row.retryCount + 1} of {row.retryLimit + 1}
                    </td>
                    <td className="error-cell">{row.error ?? "—"}</td>
                    <td className="muted">
                      created {formatTime(row.createdOn, true)}
                      {row.startedOn ? <div>started {formatTime(row.startedOn, true)}</div> : null}
                      {row.completedOn ? <div>ended {formatTime(row.completedOn, true)}</div> : null}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        {rows.some((row) => row.state === "failed") ? (
          <p style={{ padding: "1rem" }}>
            <button type="submit" className="button" disabled={busy}>
              Retry selected jobs
            </button>{" "}
            <span className="muted">Students are not charged again; their open pages follow the new attempt.</span>
          </p>
        ) : null}
      </Form>
      <p className="row">
        {page > 0 ? <Link to={pageLink(page - 1)}>← Newer</Link> : null}
        {hasMore ? <Link to={pageLink(page + 1)}>Older →</Link> : null}
      </p>
    </>
  );
}
