// remix-auth's entry point: one "password" strategy over the log-in form.
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { loginSchema } from "./forms";
import { AccountError, checkLogin } from "./user.server";

export const authenticator = new Authenticator<{ id: string }>();

authenticator.use(
  new FormStrategy(async ({ form }) => {
    const parsed = loginSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path[0] === "password" ? "password" : "email";
      throw new AccountError(field, issue?.message ?? "Check the form.");
    }
    return checkLogin(parsed.data.email, parsed.data.password);
  }),
  "password",
);
