// msw plays an OpenAI-compatible chat completions endpoint. A test says, per model and per call,
// what the grader answers: a grading with given scores, malformed JSON, a refusal, an error status,
// or nothing until the client times out.
import { delay, http, HttpResponse } from "msw";
import { requireRubric } from "~/grading/rubrics";

export const AI_BASE_URL = "https://ai.test/v1";
export const MODELS = ["test/alpha", "test/beta", "test/gamma"];

/** The environment that points MarkM8's graders at this mock. */
export const AI_ENV = { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: AI_BASE_URL, GRADER_MODELS: MODELS.join(",") };

export type Reply =
  | { scores: number[] | number }
  | { malformed: true }
  | { refusal: string }
  | { status: number }
  | { hang: true };

/** Decides each reply from the model and the how-many-th call to that model this is (1-based). */
export type Plan = (model: string, call: number, rubricId: string) => Reply;

export const agree: Plan = (_model, _call, rubricId) => ({ scores: rubricId === "ielts-task2" ? 6.5 : 4 });

function gradingJson(rubricId: string, scores: number[] | number) {
  const rubric = requireRubric(rubricId);
  return {
    criteria: rubric.criteria.map((criterion, i) => ({
      key: criterion.key,
      score: Array.isArray(scores) ? scores[i % scores.length]! : scores,
      strengths: `Clear work on ${criterion.name.toLowerCase()}.`,
      improvements: `Develop ${criterion.name.toLowerCase()} further with examples.`,
    })),
    summary: "A solid essay with room to deepen its analysis.",
  };
}

export type AiLog = { model: string; call: number; system: string; user: string }[];

/** Handlers following `plan`; every request is appended to `log`. `latency` delays answers (per model). */
export function aiHandlers(plan: Plan, log: AiLog = [], latency: number | ((model: string) => number) = 0) {
  const calls = new Map<string, number>();
  return [
    http.post(`${AI_BASE_URL}/chat/completions`, async ({ request }) => {
      const body = (await request.json()) as { model: string; messages: { role: string; content: string }[] };
      const call = (calls.get(body.model) ?? 0) + 1;
      calls.set(body.model, call);
      const system = body.messages.find((m) => m.role === "system")?.content ?? "";
      const user = body.messages.find((m) => m.role === "user")?.content ?? "";
      log.push({ model: body.model, call, system, user });
      const rubricId = /"IELTS Writing Task 2"/.test(system) ? "ielts-task2" : "general";
      const reply = plan(body.model, call, rubricId);
      const wait = typeof latency === "function" ? latency(body.model) : latency;
      if (wait) await delay(wait);
      if ("hang" in reply) {
        await delay(60_000);
        return HttpResponse.json({ error: "too late" }, { status: 504 });
      }
      if ("status" in reply) return HttpResponse.json({ error: { message: "upstream failure" } }, { status: reply.status });
      const content = "scores" in reply ? JSON.stringify(gradingJson(rubricId, reply.scores)) : "malformed" in reply ? '{"criteria": [ {"key": "thesis", "score": ' : null;
      return HttpResponse.json({
        id: `chatcmpl-${call}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            finish_reason: "stop",
            message: { role: "assistant", content, refusal: "refusal" in reply ? reply.refusal : null },
          },
        ],
        usage: { prompt_tokens: 900, completion_tokens: 350, total_tokens: 1250 },
      });
    }),
  ];
}

/** msw's verdict on a request no handler took: our own servers pass, anything else is an error. */
export function onUnhandledFrame({ frame, defaults }: { frame: { data: unknown }; defaults: { error: () => void } }) {
  const request = (frame.data as { request?: Request } | undefined)?.request;
  const host = request ? new URL(request.url).hostname : "";
  if (host === "localhost" || host === "127.0.0.1") return;
  defaults.error();
}
