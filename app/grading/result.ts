// A finished grade as stored in grades.result and shown on the essay page.
import { z } from "zod";

export const criterionResultSchema = z.object({
  key: z.string(),
  name: z.string(),
  /** The consensus score: the median of the graders' scores. */
  score: z.number(),
  /** Each grader's score, in grader order. */
  scores: z.array(z.number()),
  /** Highest minus lowest grader score. */
  spread: z.number(),
  strengths: z.string(),
  improvements: z.string(),
});

export const gradeResultSchema = z.object({
  rubric: z.string(),
  method: z.enum(["ai", "offline"]),
  overall: z.number(),
  /** The largest spread of any criterion. */
  spread: z.number(),
  lowAgreement: z.boolean(),
  graders: z.number().int(),
  summary: z.string(),
  criteria: z.array(criterionResultSchema),
  /** For the offline estimate: the measured features behind the scores. */
  measurements: z.record(z.string(), z.number()).optional(),
});

export type CriterionResult = z.infer<typeof criterionResultSchema>;
export type GradeResult = z.infer<typeof gradeResultSchema>;

/** What one grader (a model, or the offline estimator) said. */
export type Grading = {
  grader: string;
  criteria: { key: string; score: number; strengths: string; improvements: string }[];
  summary: string;
};
