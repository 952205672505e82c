// GET /essays/:id/events: the essay's grade progress as server-sent events. Each event's data is one
// JSON object: { gradeId, eventId, status, stage, progress }. Owners and staff only; others get 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/session.server";
import { latestGradeId } from "~/grading/essays.server";
import { progressStream } from "~/grading/stream.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (!user) return new Response("Log in to follow this grade.", { status: 401 });
  const gradeId = await latestGradeId(params.id ?? "", user);
  if (!gradeId) return new Response("Not found", { status: 404 });
  return progressStream(request, gradeId, context.disconnected);
}
