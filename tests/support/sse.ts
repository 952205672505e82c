// A script's view of an event stream: the raw text, the parsed events in order, and whether the server closed it.
import type { Visitor } from "./http";

export type SseEvent = { id?: string; event: string; data: string; json: Record<string, unknown> };

export type Stream = {
  response: Response;
  events: SseEvent[];
  raw: () => string;
  /** Resolves when the server ends the stream. */
  closed: Promise<void>;
  /** Waits for the first event (after those already checked) matching `test`. */
  next: (test?: (event: SseEvent) => boolean, timeoutMs?: number) => Promise<SseEvent>;
  abort: () => void;
};

export async function openStream(visitor: Visitor, path: string, headers: Record<string, string> = {}): Promise<Stream> {
  const controller = new AbortController();
  const response = await visitor.request(path, { headers: { Accept: "text/event-stream", ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  let raw = "";
  let cursor = 0;
  const waiters = new Set<() => void>();
  const closed = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done: finished, value: chunk } = await reader.read();
        if (finished) break;
        const text = decoder.decode(chunk, { stream: true });
        raw += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: Partial<SseEvent> & { data: string } = { event: "message", data: "" };
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const [field, ...rest] = line.split(":");
            const value = rest.join(":").replace(/^ /, "");
            if (field === "data") data.push(value);
            else if (field === "id") event.id = value;
            else if (field === "event") event.event = value;
          }
          event.data = data.join("\n");
          if (!event.data) continue; // dispatches nothing, as in a browser
          events.push({ ...(event as SseEvent), json: JSON.parse(event.data) as Record<string, unknown> });
          for (const wake of waiters) wake();
        }
      }
    } catch {
      // aborted
    } finally {
      for (const wake of waiters) wake();
    }
  })();
  let done = false;
  void closed.then(() => (done = true));

  const next = async (test: (event: SseEvent) => boolean = () => true, timeoutMs = 20_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      while (cursor < events.length) {
        const event = events[cursor++]!;
        if (test(event)) return event;
      }
      if (done) throw new Error(`stream closed before a matching event; events: ${JSON.stringify(events.map((e) => e.json))}`);
      if (Date.now() > until) throw new Error(`no matching event within ${timeoutMs} ms; events: ${JSON.stringify(events.map((e) => e.json))}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
        setTimeout(wake, 100);
      });
    }
  };
  return { response, events, raw: () => raw, closed, next, abort: () => controller.abort() };
}
