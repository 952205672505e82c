// What the admin pages and the server agree on about jobs: the list's filters, and how a pg-boss
// job's `output` (a serialized error) reads in one line.
export const JOB_FILTERS = ["problems", "failed", "stuck", "queued", "active", "completed", "all"] as const;
export type JobFilter = (typeof JOB_FILTERS)[number];

export function errorText(output: unknown): string | null {
  if (!output || typeof output !== "object") return null;
  const value = output as { message?: unknown; value?: unknown };
  if (typeof value.message === "string") return value.message;
  if (typeof value.value === "string") return value.value;
  return JSON.stringify(output).slice(0, 300);
}
