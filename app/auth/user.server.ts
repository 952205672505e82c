// Accounts: creating one (with its starter credits, in one transaction) and checking a login.
import { env } from "~/env.server";
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/db/client.server";
import { decoyHash, hashPassword, verifyPassword } from "./password.server";
import { clearAttempts, countAttempt } from "./throttle.server";

export class AccountError extends Error {
  constructor(
    readonly field: "email" | "password" | "form",
    message: string,
  ) {
    super(message);
  }
}

/** Creates a student with the starter credits recorded in the ledger; a taken email is an AccountError. */
export async function createUser(email: string, password: string): Promise<{ id: string }> {
  const passwordHash = await hashPassword(password);
  const starter = env().STARTER_CREDITS;
  try {
    return await db().$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, passwordHash, credits: starter }, select: { id: true } });
      if (starter > 0) {
        await tx.ledgerEntry.create({
          data: { userId: user.id, amount: starter, reason: "STARTER", reference: user.id, note: "Welcome credits" },
        });
      }
      return user;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AccountError("email", "An account with this email already exists. Log in instead?");
    }
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The user whose email and password match; otherwise an AccountError saying why, without saying which was wrong. */
export async function checkLogin(email: string, password: string): Promise<{ id: string }> {
  const attempt = await countAttempt(email);
  if (attempt.lockedUntil) {
    const minutes = Math.max(1, Math.ceil((attempt.lockedUntil.getTime() - Date.now()) / 60_000));
    throw new AccountError(
      "form",
      `Too many failed log-in attempts for this email. For your security, try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    );
  }
  if (attempt.delayMs > 0) await sleep(attempt.delayMs);
  const user = await db().user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !ok) throw new AccountError("password", "Wrong email or password.");
  await clearAttempts(email);
  return { id: user.id };
}
