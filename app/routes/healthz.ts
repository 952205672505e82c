// Liveness and readiness in one: 200 when the database answers within two seconds, 503 otherwise.
import { db } from "~/db/client.server";
import { listenerStats } from "~/grading/listener.server";

const TIMEOUT_MS = 2_000;

export async function loader() {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db().$queryRaw`SELECT 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS);
      }),
    ]);
    const body = { status: "ok", database: "up", latencyMs: Math.round(performance.now() - started), ...listenerStats() };
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "unavailable", database: "down" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  } finally {
    clearTimeout(timer);
  }
}
