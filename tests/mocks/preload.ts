// Loaded with `node --import tsx --import ./tests/mocks/preload.ts build/worker.js` by tests that
// run a real worker process: msw answers its AI calls there, agreeing, after MOCK_AI_LATENCY_MS (plus
// MOCK_AI_STAGGER_MS more for each further model, so graders finish one after another).
import { agree, aiHandlers, MODELS } from "./ai";
import { startMockServer } from "./server";

const server = startMockServer();
const latency = Number(process.env.MOCK_AI_LATENCY_MS ?? 0);
const stagger = Number(process.env.MOCK_AI_STAGGER_MS ?? 0);
server.use(...aiHandlers(agree, [], (model) => latency + Math.max(0, MODELS.indexOf(model)) * stagger));
