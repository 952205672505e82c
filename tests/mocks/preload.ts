// Loaded with `node --import tsx --import ./tests/mocks/preload.ts build/worker.js` by tests that
// run a real worker process: msw answers its AI calls there, agreeing, after MOCK_AI_LATENCY_MS.
import { agree, aiHandlers } from "./ai";
import { startMockServer } from "./server";

const server = startMockServer();
server.use(...aiHandlers(agree, [], Number(process.env.MOCK_AI_LATENCY_MS ?? 0)));
