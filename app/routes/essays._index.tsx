import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { listEssays } from "~/grading/essays.server";
import { rubricById } from "~/grading/rubrics";
import { StatusBadge } from "~/ui/StatusBadge";
import { formatTime } from "~/ui/format";

export const meta: MetaFunction = () => [{ title: "My essays · MarkM8" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { essays: await listEssays(user.id) };
}


export default function Essays() {
  const { essays } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>My essays</h1>
        <Link to="/essays/new" className="button">
          Grade a new essay
        </Link>
      </div>
      {essays.length === 0 ? (
        <section className="panel">
          <p>You have not submitted an essay yet.</p>
          <Link to="/essays/new">Submit your first essay</Link>
        </section>
      ) : (
        <div className="table-wrap panel" style={{ padding: 0 }}>
          <table>
            <thead>
              <tr>
                <th scope="col">Essay</th>
                <th scope="col">Rubric</th>
                <th scope="col">Submitted (UTC)</th>
                <th scope="col">Status</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {essays.map((essay) => {
                const rubric = rubricById(essay.rubric);
                return (
                  <tr key={essay.id}>
                    <td>
                      <Link to={`/essays/${essay.id}`}>{essay.title}</Link>
                      <div className="muted">{essay.wordCount} words</div>
                    </td>
                    <td>{rubric?.name ?? essay.rubric}</td>
                    <td>{formatTime(essay.createdAt)}</td>
                    <td>{essay.grade ? <StatusBadge status={essay.grade.status} /> : "—"}</td>
                    <td>
                      {essay.grade?.overall != null && rubric ? (
                        <>
                          <strong>{essay.grade.overall}</strong>
                          <span className="muted"> / {rubric.scale.max}</span>
                          {essay.grade.offline ? <div className="muted">offline estimate</div> : null}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
