// The grading pipeline for one job: mark the grade PROCESSING, run the graders concurrently (or the
// offline estimator when no AI endpoint is configured), publish progress after each, and write the
// consensus and COMPLETED in one transaction. Fewer than two usable gradings throws, and pg-boss
// retries the job with backoff; when retries run out, failGrade (app/grading/fail.server.ts) marks it
// FAILED and refunds.
import type OpenAI from "openai";
import { db } from "~/db/client.server";
import type { Prisma } from "~/generated/prisma/client";
import { publish, type Step } from "~/grading/publish.server";
import { consensus } from "./consensus";
import { requireRubric } from "~/grading/rubrics";
import type { GradeResult } from "~/grading/result";
import { runGrader, type GraderOutcome } from "./grader";
import { offlineResult } from "./offline";

export type Graders = { client: OpenAI; models: string[]; timeoutMs: number };

/** Which try this is: 1-based, out of how many pg-boss allows. */
export type Attempt = { number: number; of: number };

export type Outcome = "completed" | "skipped";

const MIN_GRADINGS = 2;

export class GradingFailed extends Error {}

async function step(gradeId: string, next: Step, data?: Prisma.GradeUpdateInput) {
  await db().$transaction((tx) => publish(tx, gradeId, next, data));
}

export async function processGrade(gradeId: string, attempt: Attempt, graders: Graders | null, signal?: AbortSignal): Promise<Outcome> {
  const grade = await db().grade.findUnique({
    where: { id: gradeId },
    select: { status: true, usage: true, essay: { select: { title: true, prompt: true, body: true, rubric: true } } },
  });
  // Already final: a job re-run after its result committed, or a grade staff cancelled.
  if (!grade || grade.status === "COMPLETED" || grade.status === "FAILED") return "skipped";
  const rubric = requireRubric(grade.essay.rubric);
  const started = new Date();

  if (!graders) {
    await step(gradeId, { status: "PROCESSING", stage: "Measuring the text (offline estimate)", progress: 30 }, { attempts: { increment: 1 }, startedAt: started });
    const result = offlineResult(rubric, grade.essay.body);
    await complete(gradeId, result, { offline: true, models: ["offline estimator"], usage: [] });
    return "completed";
  }

  const total = graders.models.length;
  await step(
    gradeId,
    { status: "PROCESSING", stage: `${total} graders are reading your essay`, progress: 10 },
    { attempts: { increment: 1 }, startedAt: started },
  );

  // Progress events go out one at a time, so a page never sees the bar move backwards.
  let finished = 0;
  let chain = Promise.resolve();
  const outcomes = await Promise.all(
    graders.models.map(async (model) => {
      const outcome = await runGrader(graders.client, model, rubric, grade.essay, { timeoutMs: graders.timeoutMs, signal });
      finished += 1;
      const stage = `${finished} of ${total} graders finished`;
      const progress = 10 + Math.round((finished / total) * 75);
      chain = chain.then(() => step(gradeId, { status: "PROCESSING", stage, progress }));
      await chain;
      return outcome;
    }),
  );
  // This attempt's calls are added to those of earlier attempts, read with the grade above.
  const usage = [...(Array.isArray(grade.usage) ? grade.usage : []), ...outcomes.map((o) => usageOf(o, attempt))] as Prisma.InputJsonValue;
  const gradings = outcomes.flatMap((o) => (o.ok && o.grading ? [o.grading] : []));

  if (gradings.length < MIN_GRADINGS) {
    const reasons = outcomes.filter((o) => !o.ok).map((o) => `${o.model}: ${o.error}`).join("; ");
    const last = attempt.number >= attempt.of;
    await step(
      gradeId,
      last
        ? { status: "PROCESSING", stage: "The graders could not answer; finishing up", progress: 90 }
        : { status: "QUEUED", stage: `Only ${gradings.length} of ${total} graders answered; trying again shortly`, progress: 0 },
      { usage },
    );
    throw new GradingFailed(`only ${gradings.length} of ${total} graders returned a usable grade (${reasons})`);
  }

  await step(gradeId, { status: "PROCESSING", stage: "Working out the consensus", progress: 92 });
  const result = consensus(rubric, gradings);
  await complete(gradeId, result, {
    offline: false,
    models: outcomes.map((o) => o.model),
    usage,
  });
  return "completed";
}

function usageOf(outcome: GraderOutcome, attempt: Attempt) {
  const { model, ok, error, calls, tokensIn, tokensOut, durationMs } = outcome;
  return { attempt: attempt.number, model, ok, error: error ?? null, calls, tokensIn, tokensOut, durationMs };
}

async function complete(gradeId: string, result: GradeResult, extra: { offline: boolean; models: string[]; usage: Prisma.InputJsonValue }) {
  await step(
    gradeId,
    { status: "COMPLETED", stage: result.lowAgreement ? "Grade ready (graders disagreed: read with care)" : "Grade ready", progress: 100 },
    {
      ...extra,
      result: result as unknown as Prisma.InputJsonValue,
      overall: result.overall,
      spread: result.spread,
      lowAgreement: result.lowAgreement,
      error: null,
      finishedAt: new Date(),
    },
  );
}
