// What every form's action returns on a rejected submission: one message per field.
import type { z } from "zod";

export type FieldErrors<Field extends string> = Partial<Record<Field | "form", string>>;

/** The first message for each field of a failed zod parse. */
export function fieldErrors<Field extends string>(error: z.ZodError): FieldErrors<Field> {
  const errors: FieldErrors<Field> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form") as Field | "form";
    errors[field] ??= issue.message;
  }
  return errors;
}
