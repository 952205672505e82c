import type { GradeStatus } from "~/generated/prisma/enums";

const LABELS: Record<GradeStatus, string> = {
  QUEUED: "Queued",
  PROCESSING: "Grading",
  COMPLETED: "Graded",
  FAILED: "Failed",
};

export function StatusBadge({ status }: { status: GradeStatus }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{LABELS[status]}</span>;
}
