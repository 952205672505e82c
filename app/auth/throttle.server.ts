// Login throttling per email, known or not. Every attempt is counted BEFORE the password is checked,
// so parallel guesses cannot slip past the limit; a success clears the count. After SLOW_AFTER
// attempts each one is answered more slowly; past LOCK_AFTER the email is refused for LOCK_MINUTES.
import { db } from "~/db/client.server";

export const THROTTLE = { SLOW_AFTER: 3, LOCK_AFTER: 8, LOCK_MINUTES: 15, STEP_MS: 200, MAX_DELAY_MS: 2000 };

export type Attempt = { lockedUntil: Date | null; delayMs: number };

/** Counts an attempt for `email` and says whether it may proceed, and after what delay. */
export async function countAttempt(email: string): Promise<Attempt> {
  const { SLOW_AFTER, LOCK_AFTER, LOCK_MINUTES, STEP_MS, MAX_DELAY_MS } = THROTTLE;
  const window = `${LOCK_MINUTES} minutes`;
  const [row] = await db().$queryRaw<{ failures: number; locked_until: Date | null }[]>`
    INSERT INTO login_throttles AS t (email, failures, last_failure_at) VALUES (${email}, 1, now())
    ON CONFLICT (email) DO UPDATE SET
      failures = CASE
        WHEN t.locked_until > now() THEN t.failures
        WHEN t.last_failure_at < now() - ${window}::interval THEN 1
        ELSE t.failures + 1 END,
      last_failure_at = CASE WHEN t.locked_until > now() THEN t.last_failure_at ELSE now() END,
      locked_until = CASE
        WHEN t.locked_until > now() THEN t.locked_until
        WHEN t.last_failure_at >= now() - ${window}::interval AND t.failures + 1 > ${LOCK_AFTER}
          THEN now() + ${window}::interval
        ELSE NULL END
    RETURNING failures, locked_until`;
  if (!row) throw new Error("login throttle upsert returned no row");
  const lockedUntil = row.locked_until && row.locked_until.getTime() > Date.now() ? row.locked_until : null;
  const delayMs = Math.min(Math.max(0, row.failures - SLOW_AFTER) * STEP_MS, MAX_DELAY_MS);
  return { lockedUntil, delayMs };
}

/** Forgets the attempts for `email` after a successful login. */
export async function clearAttempts(email: string): Promise<void> {
  await db().loginThrottle.deleteMany({ where: { email } });
}
