// The web process's ONE listening connection. Every open event stream subscribes here; a NOTIFY on
// PROGRESS_CHANNEL is fanned out in memory to the subscribers of its grade. When the connection drops
// it reconnects with backoff, then asks every subscriber to re-read its grade from the database, so a
// final state published while disconnected is never missed.
import pg from "pg";
import { log } from "~/log.server";
import { PROGRESS_CHANNEL, type ProgressEvent } from "./progress";

export type Subscriber = {
  /** A change published for the grade. */
  onEvent: (event: ProgressEvent) => void;
  /** The connection was re-established: events may have been missed, re-read the grade. */
  onResync: () => void;
};

const CHECK_INTERVAL_MS = 10_000;
const MAX_BACKOFF_MS = 10_000;

class Listener {
  private subscribers = new Map<string, Set<Subscriber>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Times the connection was (re)established; for tests and health. */
  connections = 0;

  /** Subscribes to `gradeId`'s events; resolves once the connection is listening. Returns the unsubscribe function. */
  async subscribe(gradeId: string, subscriber: Subscriber): Promise<() => void> {
    let set = this.subscribers.get(gradeId);
    if (!set) this.subscribers.set(gradeId, (set = new Set()));
    set.add(subscriber);
    const unsubscribe = () => {
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(gradeId) === set) this.subscribers.delete(gradeId);
    };
    try {
      await this.ensureConnected();
    } catch {
      // The snapshot still comes from the database; the reconnect loop resyncs this subscriber later.
    }
    return unsubscribe;
  }

  get streamCount(): number {
    let count = 0;
    for (const set of this.subscribers.values()) count += set.size;
    return count;
  }

  /** Whether the listening connection is up. */
  get listening(): boolean {
    return this.client !== null && this.connecting === null;
  }

  /** The listening connection's backend pid. */
  pid: number | null = null;

  private ensureConnected(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("listener closed"));
    if (this.client && !this.connecting) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const url = process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL;
    const client = new pg.Client({ connectionString: url, application_name: "markm8-web-listen", keepAlive: true });
    // Without an error handler a killed backend would crash the process.
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("connection ended")));
    client.on("notification", (message) => this.dispatch(message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${PROGRESS_CHANNEL}`);
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      this.pid = rows[0]?.pid ?? null;
    } catch (error) {
      client.removeAllListeners();
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
      throw error;
    }
    const reconnected = this.connections > 0;
    this.client = client;
    this.connections += 1;
    this.attempt = 0;
    this.checkTimer = setInterval(() => void this.check(client), CHECK_INTERVAL_MS);
    this.checkTimer.unref();
    if (reconnected) {
      log().info({ connections: this.connections }, "progress listener reconnected; resyncing streams");
      for (const set of this.subscribers.values()) for (const subscriber of set) subscriber.onResync();
    }
  }

  /** A silently dead connection (a cut network) answers no query: notice it and reconnect. */
  private async check(client: pg.Client) {
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("listener check timed out")), 5_000).unref());
    try {
      await Promise.race([client.query("SELECT 1"), timeout]);
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  private lost(client: pg.Client, error: Error) {
    if (this.client !== client) return;
    log().warn({ err: error }, "progress listener lost its connection");
    this.client = null;
    this.pid = null;
    if (this.checkTimer) clearInterval(this.checkTimer);
    client.removeAllListeners();
    client.on("error", () => undefined);
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.closed || this.retryTimer) return;
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ensureConnected().catch(() => undefined);
    }, delay);
    this.retryTimer.unref();
  }

  private dispatch(payload: string | undefined) {
    if (!payload) return;
    let event: ProgressEvent;
    try {
      event = JSON.parse(payload) as ProgressEvent;
    } catch {
      return;
    }
    const set = this.subscribers.get(event.gradeId);
    if (!set) return;
    for (const subscriber of [...set]) subscriber.onEvent(event);
  }

  /** Stops listening (at shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.checkTimer) clearInterval(this.checkTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}

declare global {
  // eslint-disable-next-line no-var
  var __markm8Listener: Listener | undefined;
}

/** Open streams and the listening connection's state, for /healthz; creates nothing. */
export function listenerStats() {
  const current = globalThis.__markm8Listener;
  return { streams: current?.streamCount ?? 0, listening: current?.listening ?? false, listenerPid: current?.pid ?? null };
}

/** This process's listener, created on first use. */
export function listener(): Listener {
  globalThis.__markm8Listener ??= new Listener();
  return globalThis.__markm8Listener;
}

/** Stops this process's listener, if it ever started (at shutdown). */
export async function closeListener(): Promise<void> {
  const current = globalThis.__markm8Listener;
  globalThis.__markm8Listener = undefined;
  await current?.close();
}
