// Housekeeping the worker runs every hour: expired sessions and stale login counters are deleted, so
// neither table grows without bound.
import { db } from "~/db/client.server";
import { THROTTLE } from "./throttle.server";

export async function deleteExpired(now = new Date()): Promise<{ sessions: number; throttles: number }> {
  const stale = new Date(now.getTime() - THROTTLE.LOCK_MINUTES * 60_000);
  const [sessions, throttles] = await Promise.all([
    db().session.deleteMany({ where: { expiresAt: { lte: now } } }),
    db().loginThrottle.deleteMany({ where: { lastFailureAt: { lt: stale }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] } }),
  ]);
  return { sessions: sessions.count, throttles: throttles.count };
}
