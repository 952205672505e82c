// What a grade's progress looks like on the wire: the NOTIFY payload the worker (or staff) sends, and
// the event an open page receives. Shared by the publisher, the web listener and the browser.
import type { GradeStatus } from "~/generated/prisma/enums";

export const PROGRESS_CHANNEL = "grade_progress";

export type ProgressEvent = {
  gradeId: string;
  /** The grade_events row id: increases with every change, and streams resume from it. */
  eventId: string;
  status: Lowercase<GradeStatus>;
  stage: string;
  progress: number;
};

/** The event for a grade_events row (or the row publish just wrote). */
export function progressEvent(gradeId: string, row: { id: bigint; status: GradeStatus; stage: string; progress: number }): ProgressEvent {
  return {
    gradeId,
    eventId: row.id.toString(),
    status: row.status.toLowerCase() as ProgressEvent["status"],
    stage: row.stage,
    progress: row.progress,
  };
}

export const isFinal = (status: ProgressEvent["status"]) => status === "completed" || status === "failed";
