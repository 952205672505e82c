// The consensus of several gradings: per criterion the median score (snapped to the rubric's step),
// the overall score by the rubric's own rule, the spread between graders, and the written feedback of
// the grading closest to the consensus.
import type { Rubric } from "~/grading/rubrics";
import { snap } from "~/grading/rubrics";
import type { GradeResult, Grading } from "~/grading/result";

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const scoreOf = (grading: Grading, key: string) => grading.criteria.find((c) => c.key === key)!.score;

/** Combines at least two gradings of one essay against `rubric`. */
export function consensus(rubric: Rubric, gradings: Grading[], method: GradeResult["method"] = "ai"): GradeResult {
  if (gradings.length === 0) throw new Error("consensus needs at least one grading");
  const medians = rubric.criteria.map((criterion) =>
    snap(median(gradings.map((grading) => scoreOf(grading, criterion.key))), rubric.scale.step),
  );
  // The grading nearest the consensus speaks for it: its feedback matches the scores shown.
  const distance = (grading: Grading) =>
    rubric.criteria.reduce((sum, criterion, i) => sum + Math.abs(scoreOf(grading, criterion.key) - medians[i]!), 0);
  const closest = gradings.reduce((best, grading) => (distance(grading) < distance(best) ? grading : best));

  const criteria = rubric.criteria.map((criterion, i) => {
    const scores = gradings.map((grading) => scoreOf(grading, criterion.key));
    const own = closest.criteria.find((c) => c.key === criterion.key)!;
    return {
      key: criterion.key,
      name: criterion.name,
      score: medians[i]!,
      scores,
      spread: Math.max(...scores) - Math.min(...scores),
      strengths: own.strengths,
      improvements: own.improvements,
    };
  });
  const spread = Math.max(...criteria.map((c) => c.spread));
  return {
    rubric: rubric.id,
    method,
    overall: rubric.overall(medians),
    spread,
    lowAgreement: spread > rubric.lowAgreementSpread,
    graders: gradings.length,
    summary: closest.summary,
    criteria,
  };
}
