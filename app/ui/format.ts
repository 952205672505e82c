// How times read on every page: UTC, day month year and time, so pages and their tests agree.
const minutes = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const seconds = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** `4 Dec 2026, 21:07` (UTC); with `precise`, to the second, for support's timelines. */
export function formatTime(value: string | Date, precise = false): string {
  return (precise ? seconds : minutes).format(new Date(value));
}
