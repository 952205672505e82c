// Submitting an essay: in ONE transaction, take a credit, create the Essay, its Grade (QUEUED) and
// the grading job. The job is inserted through the same transaction, so its NOTIFY reaches the worker
// at COMMIT, and a rollback leaves no job, no grade and no charge. The job id is the grade id, which
// the form carries, so a repeated request finds the first submission instead of grading twice.
import { randomUUID } from "node:crypto";
import { fromPrisma } from "pg-boss";
import { chargeGrade } from "~/credits/ledger.server";
import { db } from "~/db/client.server";
import { Prisma } from "~/generated/prisma/client";
import { boss, GRADE_QUEUE } from "~/queue/boss.server";
import { countWords, type EssayInput } from "./essayForm";
import { publish } from "./publish.server";

export const QUEUED_STAGE = "Waiting for a grader";

/** Submits `input` for `userId`; returns the essay's id. Throws NoCreditsError when the balance is below one. */
export async function submitEssay(userId: string, input: EssayInput, submissionId: string = randomUUID()): Promise<string> {
  const queue = await boss();
  try {
    return await db().$transaction(
      async (tx) => {
        await chargeGrade(tx, userId, submissionId);
        const essay = await tx.essay.create({
          data: {
            userId,
            title: input.title,
            prompt: input.prompt ?? null,
            rubric: input.rubric,
            body: input.body,
            wordCount: countWords(input.body),
          },
          select: { id: true },
        });
        await tx.grade.create({ data: { id: submissionId, essayId: essay.id, stage: QUEUED_STAGE } });
        await publish(tx, submissionId, { status: "QUEUED", stage: QUEUED_STAGE, progress: 0 });
        await queue.send(GRADE_QUEUE, { gradeId: submissionId }, { id: submissionId, db: fromPrisma(tx) });
        return essay.id;
      },
      // Fifty students pressing submit at once queue for the pool; give them time rather than an error.
      { maxWait: 15_000, timeout: 15_000 },
    );
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      // This submission (or, astronomically rarely, another with its id) committed before.
      const earlier = await db().grade.findUnique({ where: { id: submissionId }, select: { essay: { select: { id: true, userId: true } } } });
      if (earlier?.essay.userId === userId) return earlier.essay.id;
      return submitEssay(userId, input, randomUUID());
    }
    throw error;
  }
}
