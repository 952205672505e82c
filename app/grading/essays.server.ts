// Reading essays and their grades. Every function takes the viewer, so ownership is checked where the
// query is made: another student's essay is simply not found.
import { db } from "~/db/client.server";
import { isUuid } from "~/ids";
import type { SessionUser } from "~/auth/session.server";
import { gradeResultSchema, type GradeResult } from "./result";

/** The viewer's essays, newest first, with the status and score of their latest grade. */
export async function listEssays(userId: string) {
  const essays = await db().essay.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      title: true,
      rubric: true,
      wordCount: true,
      createdAt: true,
      grades: { orderBy: { createdAt: "desc" }, take: 1, select: { status: true, overall: true, offline: true, lowAgreement: true } },
    },
  });
  return essays.map(({ grades, ...essay }) => ({ ...essay, grade: grades[0] ?? null }));
}

/** The id of the essay's latest grade, if the viewer owns the essay (or is staff). */
export async function latestGradeId(essayId: string, viewer: SessionUser): Promise<string | null> {
  if (!isUuid(essayId)) return null;
  const grade = await db().grade.findFirst({
    where: { essayId, ...(viewer.role === "STAFF" ? {} : { essay: { userId: viewer.id } }) },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  return grade?.id ?? null;
}

/** One essay and its latest grade, if the viewer owns it (or is staff); otherwise null. */
export async function getEssay(id: string, viewer: SessionUser) {
  if (!isUuid(id)) return null;
  const essay = await db().essay.findFirst({
    where: { id, ...(viewer.role === "STAFF" ? {} : { userId: viewer.id }) },
    select: {
      id: true,
      title: true,
      prompt: true,
      rubric: true,
      body: true,
      wordCount: true,
      createdAt: true,
      grades: {
        orderBy: { createdAt: "desc" },
        take: 1,
        select: {
          id: true,
          status: true,
          stage: true,
          progress: true,
          offline: true,
          overall: true,
          lowAgreement: true,
          result: true,
          error: true,
          createdAt: true,
          finishedAt: true,
        },
      },
    },
  });
  if (!essay) return null;
  const { grades, ...rest } = essay;
  const grade = grades[0];
  if (!grade) return { ...rest, grade: null };
  const parsed = grade.result ? gradeResultSchema.safeParse(grade.result) : null;
  const result: GradeResult | null = parsed?.success ? parsed.data : null;
  return { ...rest, grade: { ...grade, result } };
}
