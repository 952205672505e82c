import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listAudit } from "~/admin/audit.server";
import { requireStaff } from "~/auth/session.server";
import { formatTime } from "~/ui/format";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const page = Math.max(0, Number(new URL(request.url).searchParams.get("page")) || 0);
  return { page, ...(await listAudit(page)) };
}


export default function AdminAudit() {
  const { rows, page, hasMore } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Audit log</h1>
      <div className="panel table-wrap" style={{ padding: 0 }}>
        <table>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Grade or user</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5}>No staff actions yet.</td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.id} data-testid="audit-row">
                  <td>{formatTime(row.createdAt, true)}</td>
                  <td>{row.actorEmail}</td>
                  <td>
                    {row.action}
                    {row.detail ? <div className="muted">{JSON.stringify(row.detail)}</div> : null}
                  </td>
                  <td>{row.gradeId ? <Link to={`/admin/jobs/${row.gradeId}`}>grade {row.gradeId.slice(0, 8)}</Link> : row.userId ? `user ${row.userId.slice(0, 8)}` : "—"}</td>
                  <td>{row.reason ?? "—"}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <p className="row">
        {page > 0 ? <Link to={`?page=${page - 1}`}>← Newer</Link> : null}
        {hasMore ? <Link to={`?page=${page + 1}`}>Older →</Link> : null}
      </p>
    </>
  );
}
