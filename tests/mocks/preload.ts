// Loaded with `node --import tsx --import ./tests/mocks/preload.ts build/<process>.js` by tests that run
// real processes: msw answers their third-party HTTP there. The AI endpoint agrees after
// MOCK_AI_LATENCY_MS (plus MOCK_AI_STAGGER_MS more for each further model, so graders finish one after
// another), or answers 503 while the file MOCK_AI_DOWN_FILE exists; Stripe's API creates and reads
// Checkout Sessions.
import { existsSync } from "node:fs";
import { agree, aiHandlers, MODELS, type Plan } from "./ai";
import { startMockServer } from "./server";
import { stripeHandlers } from "./stripe";

const server = startMockServer();
const latency = Number(process.env.MOCK_AI_LATENCY_MS ?? 0);
const stagger = Number(process.env.MOCK_AI_STAGGER_MS ?? 0);
const downFile = process.env.MOCK_AI_DOWN_FILE;
const plan: Plan = (model, call, rubric) => (downFile && existsSync(downFile) ? { status: 503 } : agree(model, call, rubric));
server.use(...aiHandlers(plan, [], (model) => latency + Math.max(0, MODELS.indexOf(model)) * stagger), ...stripeHandlers);
