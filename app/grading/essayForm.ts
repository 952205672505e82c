// The essay submission form's rules, shared by the browser (live word count, limits) and the server
// (zod). A rejected form comes back with every field as typed and a message per wrong field.
import { z } from "zod";
import { RUBRIC_IDS, rubricById } from "./rubrics";

export const LIMITS = { minWords: 150, maxWords: 5000, titleMax: 120, promptMax: 2000, bodyMaxChars: 60_000 };

/** Words as a reader counts them: runs of letters or digits, with inner apostrophes and hyphens. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

/** Characters no typed text contains: NUL and other C0 controls except tab and line breaks. */
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/;

export const essaySchema = z.object({
  title: z
    .string({ required_error: "Give your essay a title." })
    .trim()
    .min(1, "Give your essay a title.")
    .max(LIMITS.titleMax, `Keep the title to ${LIMITS.titleMax} characters or fewer.`)
    .refine((value) => !BINARY.test(value), "The title contains characters that are not text."),
  prompt: z
    .string()
    .trim()
    .max(LIMITS.promptMax, `Keep the assignment prompt to ${LIMITS.promptMax} characters or fewer.`)
    .refine((value) => !BINARY.test(value), "The prompt contains characters that are not text.")
    .optional()
    .transform((value) => (value ? value : undefined)),
  rubric: z
    .string({ required_error: "Choose a rubric." })
    .refine((value) => rubricById(value) !== undefined, `Choose one of the rubrics: ${RUBRIC_IDS.join(", ")}.`),
  body: z
    .string({ required_error: "Paste or type your essay." })
    .transform((value) => value.replace(/\r\n?/g, "\n").trim())
    .superRefine((value, ctx) => {
      const fail = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      if (!value) return fail("Paste or type your essay.");
      if (BINARY.test(value)) return fail("The essay contains characters that are not text. Paste it as plain text.");
      if (value.length > LIMITS.bodyMaxChars) return fail(`The essay is too long: at most ${LIMITS.bodyMaxChars.toLocaleString("en")} characters.`);
      const words = countWords(value);
      if (words < LIMITS.minWords) return fail(`The essay has ${words} words; it needs at least ${LIMITS.minWords}.`);
      if (words > LIMITS.maxWords) return fail(`The essay has ${words.toLocaleString("en")} words; the limit is ${LIMITS.maxWords.toLocaleString("en")}.`);
    }),
});

export type EssayInput = z.infer<typeof essaySchema>;
export type EssayField = keyof EssayInput;
