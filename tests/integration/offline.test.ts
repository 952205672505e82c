// No AI key: the offline estimator grades, deterministically, and says so.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { gradeResultSchema } from "~/grading/result";
import { requireRubric } from "~/grading/rubrics";
import { submitEssay } from "~/grading/submit.server";
import { boss } from "~/queue/boss.server";
import { offlineResult } from "../../worker/offline";
import { startWorking } from "../../worker/work";
import { essayInput, essayText } from "../fixtures/essays";
import { student, waitForGrade } from "../support/grading";

delete process.env.OPENAI_API_KEY;
process.env.WORKER_POLL_SECONDS = "0.5";

beforeAll(async () => {
  await startWorking(await boss("worker"));
});

describe("the offline estimator", () => {
  it("grades through the queue when no AI endpoint is configured, marked as an offline estimate", async () => {
    const user = await student(1);
    const essayId = await submitEssay(user.id, essayInput());
    const { id } = await db().grade.findFirstOrThrow({ where: { essayId } });
    const grade = await waitForGrade(id);
    expect(grade.status).toBe("COMPLETED");
    expect(grade.offline).toBe(true);
    const result = gradeResultSchema.parse(grade.result);
    expect(result.method).toBe("offline");
    expect(result.summary).toMatch(/Offline estimate/);
    expect(result.measurements?.words).toBeGreaterThan(300);
  });

  it("is deterministic and tracks measurable quality", () => {
    const rubric = requireRubric("general");
    const good = essayText(900);
    expect(offlineResult(rubric, good)).toEqual(offlineResult(rubric, good));

    const wall = Array.from({ length: 40 }, () => "the thing is good and the thing is good").join(" ");
    const weak = offlineResult(rubric, wall);
    const strong = offlineResult(rubric, good);
    expect(strong.overall).toBeGreaterThan(weak.overall);
    for (const criterion of strong.criteria) {
      expect(criterion.score).toBeGreaterThanOrEqual(rubric.scale.min);
      expect(criterion.score).toBeLessThanOrEqual(rubric.scale.max);
      expect(Number.isInteger(criterion.score)).toBe(true);
    }
    const paragraphs = weak.criteria.find((c) => c.key === "organisation")!;
    expect(paragraphs.improvements).toMatch(/one block of text/);
  });

  it("scores IELTS in half bands within 0-9", () => {
    const rubric = requireRubric("ielts-task2");
    const result = offlineResult(rubric, essayText(320));
    for (const criterion of result.criteria) {
      expect(criterion.score * 2).toBe(Math.round(criterion.score * 2));
      expect(criterion.score).toBeGreaterThanOrEqual(0);
      expect(criterion.score).toBeLessThanOrEqual(9);
    }
  });
});
