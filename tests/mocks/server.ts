// The msw server for a test file (or a spawned process): third-party HTTP only, our own servers pass.
import { setupServer } from "msw/node";
import { onUnhandledFrame } from "./ai";

export function startMockServer() {
  const server = setupServer();
  server.listen({ onUnhandledFrame });
  return server;
}
