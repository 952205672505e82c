// A grade's progress as a server-sent event stream (remix-utils eventStream). It subscribes to the
// process's listener first and only then reads the current state from the database, so nothing
// published between the page load and the subscription is missed. Each event carries its timeline id,
// so a reconnecting browser resumes from Last-Event-ID; heartbeats keep proxies from cutting the
// stream; it closes itself at a final status and releases everything when the client leaves.
import { eventStream } from "remix-utils/sse/server";
import { db } from "~/db/client.server";
import { env } from "~/env.server";
import { listener } from "./listener.server";
import { isFinal, progressEvent, type ProgressEvent } from "./progress";

const RETRY_MS = 2_000;

/** The events of `gradeId` after `afterId`, or (without it) only the latest one: the current state. */
async function timeline(gradeId: string, afterId: bigint | null): Promise<ProgressEvent[]> {
  const rows = await db().gradeEvent.findMany({
    where: { gradeId, ...(afterId !== null ? { id: { gt: afterId } } : {}) },
    orderBy: { id: afterId !== null ? "asc" : "desc" },
    take: afterId !== null ? 500 : 1,
    select: { id: true, status: true, stage: true, progress: true },
  });
  return rows.map((row) => progressEvent(gradeId, row));
}

/** `disconnected` ends the stream when the client leaves; it defaults to the request's own signal. */
export function progressStream(request: Request, gradeId: string, disconnected: AbortSignal = request.signal): Response {
  const header = request.headers.get("Last-Event-ID");
  const resumeFrom = header && /^\d{1,19}$/.test(header) ? BigInt(header) : null;

  return eventStream(
    disconnected,
    (send, close) => {
      let lastSent = resumeFrom ?? -1n;
      let ended = false;
      let pending: ProgressEvent[] | null = [];
      let unsubscribe: (() => void) | undefined;

      const end = () => {
        if (ended) return;
        ended = true;
        // Closing inside the send that delivered the final event would run before it is flushed.
        queueMicrotask(close);
      };
      const emit = (event: ProgressEvent) => {
        if (ended || BigInt(event.eventId) <= lastSent) return;
        lastSent = BigInt(event.eventId);
        try {
          // remix-utils writes `data: <data>\n\n` verbatim; the lines after the JSON are the SSE
          // `id` (resume point) and `retry` (reconnect delay) fields of the same event.
          send({ event: "message", data: `${JSON.stringify(event)}\nid: ${event.eventId}\nretry: ${RETRY_MS}` });
        } catch {
          return end(); // the client left
        }
        if (isFinal(event.status)) end();
      };
      const emitAll = (events: ProgressEvent[]) => {
        for (const event of events.sort((a, b) => (BigInt(a.eventId) < BigInt(b.eventId) ? -1 : 1))) emit(event);
      };
      const resync = async () => {
        emitAll(await timeline(gradeId, null));
      };

      void (async () => {
        unsubscribe = await listener().subscribe(gradeId, {
          onEvent: (event) => (pending ? pending.push(event) : emit(event)),
          onResync: () => void resync().catch(end),
        });
        if (ended) return unsubscribe();
        emitAll(await timeline(gradeId, resumeFrom));
        const early = pending ?? [];
        pending = null;
        emitAll(early);
      })().catch(end);

      // An event with an empty data field dispatches nothing in the browser; the `: ping` line is an
      // SSE comment. Together they keep proxies from closing an idle stream.
      const heartbeat = setInterval(() => {
        try {
          send({ event: "ping", data: "\n: ping" });
        } catch {
          end();
        }
      }, env().SSE_HEARTBEAT_SECONDS * 1000);

      return () => {
        ended = true;
        clearInterval(heartbeat);
        unsubscribe?.();
      };
    },
    { headers: { "X-Accel-Buffering": "no" } },
  );
}
