import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { queueHealth } from "~/admin/jobs.server";
import { requireStaff } from "~/auth/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return queueHealth();
}

const STATES = ["created", "retry", "active", "completed", "failed", "cancelled"];
const ago = (date: string | Date) => {
  const seconds = Math.round((Date.now() - new Date(date).getTime()) / 1000);
  return seconds < 90 ? `${seconds} s ago` : seconds < 5400 ? `${Math.round(seconds / 60)} min ago` : `${Math.round(seconds / 3600)} h ago`;
};
const duration = (seconds: number) => (seconds < 90 ? `${Math.round(seconds)} s` : seconds < 5400 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`);

export default function AdminOverview() {
  const health = useLoaderData<typeof loader>();
  const live = health.workers.filter((worker) => worker.live);
  return (
    <>
      <h1>Queue health</h1>
      <div className="stats">
        <div className="stat" data-testid="stat-failed">
          <span className="stat-value">{health.states.failed ?? 0}</span>
          <Link to="/admin/jobs?state=failed">failed jobs</Link>
        </div>
        <div className="stat" data-testid="stat-stuck">
          <span className="stat-value">{health.stuck}</span>
          <Link to="/admin/jobs?state=stuck">stuck jobs</Link>
        </div>
        <div className="stat">
          <span className="stat-value">{(health.states.created ?? 0) + (health.states.retry ?? 0)}</span>
          <Link to="/admin/jobs?state=queued">waiting</Link>
        </div>
        <div className="stat" data-testid="stat-oldest">
          <span className="stat-value">{health.oldestWaitingSeconds === null ? "—" : duration(health.oldestWaitingSeconds)}</span>
          <span>oldest waiting job</span>
        </div>
        <div className="stat">
          <span className="stat-value">{health.lastHour.completed}</span>
          <span>graded in the last hour</span>
        </div>
        <div className="stat">
          <span className="stat-value">{health.lastHour.failed}</span>
          <span>failed in the last hour</span>
        </div>
      </div>
      {health.disputes > 0 ? (
        <p className="notice">
          {health.disputes} disputed payment{health.disputes === 1 ? "" : "s"}: their credits were taken back. Review them in Stripe.
        </p>
      ) : null}
      <section className="panel">
        <h2>Jobs by state</h2>
        <table>
          <tbody>
            {STATES.map((state) => (
              <tr key={state}>
                <th scope="row">{state}</th>
                <td data-testid={`state-${state}`}>{health.states[state] ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>Workers</h2>
        {live.length === 0 ? <p className="form-error">No worker has been heard from recently: grades are waiting.</p> : null}
        <table>
          <thead>
            <tr>
              <th scope="col">Worker</th>
              <th scope="col">Host</th>
              <th scope="col">Last sign of life</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {health.workers.map((worker) => (
              <tr key={`${worker.host}-${worker.pid}-${String(worker.startedOn)}`}>
                <td>{worker.name ?? worker.pid}</td>
                <td>{worker.host}</td>
                <td>{ago(worker.heartbeatOn)}</td>
                <td>{worker.live ? <span className="badge badge-completed">live</span> : <span className="badge">gone</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
