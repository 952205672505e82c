// The sign-up and log-in forms' rules, shared by the server (zod) and the browser (input attributes).
import { z } from "zod";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** Trimmed, Unicode-normalised and lower-cased, so one address is one account. */
export function normaliseEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

const email = z
  .string({ required_error: "Enter your email address." })
  .transform(normaliseEmail)
  .pipe(z.string().min(1, "Enter your email address.").max(254, "That email address is too long.").email("Enter a valid email address, like name@school.org."));

const COMMON = new Set([
  "password", "password1", "password12", "password123", "password1234", "1234567890", "0123456789",
  "qwertyuiop", "123456789a", "iloveyou12", "letmein123", "welcome123", "abcdefghij", "qwerty1234",
  "1q2w3e4r5t", "aaaaaaaaaa", "passw0rd123", "football123", "baseball123", "princess123",
]);

/** Why a password is too weak, or undefined when it is acceptable. */
export function passwordProblem(password: string, forEmail: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return "That password is too common. Try a short sentence instead.";
  if (new Set(lower).size < 4) return "Use more different characters.";
  const local = normaliseEmail(forEmail).split("@")[0] ?? "";
  if (local.length >= 4 && lower.includes(local)) return "Don't use your email address in your password.";
  return undefined;
}

export const signupSchema = z
  .object({ email, password: z.string({ required_error: "Choose a password." }) })
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value.password, value.email);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["password"], message: problem });
  });

export const loginSchema = z.object({
  email,
  password: z.string({ required_error: "Enter your password." }).min(1, "Enter your password.").max(PASSWORD_MAX, "Wrong email or password."),
});
