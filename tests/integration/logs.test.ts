// The logs operators read: JSON lines, a request id on every line written while serving a request, the
// job and grade id on every line a grading writes, and no password, cookie, key or essay text anywhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { essayInput } from "../fixtures/essays";
import { AI_BASE_URL, MODELS } from "../mocks/ai";
import { STRIPE_KEYS, paidSession, signedEvent } from "../mocks/stripe";
import { waitForGrade } from "../support/grading";
import { PASSWORD, Visitor } from "../support/http";
import { startWeb, startWorker, type Running } from "../support/processes";

const secrets = { ...STRIPE_KEYS, OPENAI_API_KEY: "sk-or-very-secret-key", SESSION_SECRET: "x".repeat(20) + "session-secret-value" };
const preload = ["--import", "./tests/mocks/preload.ts"];
let web: Running;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  const env = { ...secrets, LOG_LEVEL: "debug", OPENAI_BASE_URL: AI_BASE_URL, GRADER_MODELS: MODELS.join(","), WORKER_POLL_SECONDS: "1" };
  web = await startWeb(env, preload);
  worker = await startWorker(env, preload);
});
afterAll(async () => {
  await worker?.stop();
  await web?.stop();
});

const lines = (output: string) =>
  output
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("logs", () => {
  it("carry request, job and grade ids and never a secret, a cookie, a password or an essay", async () => {
    const essay = essayInput({ body: `${essayInput().body}\n\nA distinctive closing sentence about marmalade lighthouses.` });
    const visitor = new Visitor(web.url);
    await visitor.post("/signup", { email: "logged@school.org", password: PASSWORD });
    await visitor.post("/login", { email: "logged@school.org", password: "wrong password entirely" });
    const submitted = await visitor.post("/essays/new", essay, { "X-Request-Id": "support-ticket-42" });
    expect(submitted.headers.get("x-request-id")).toBe("support-ticket-42");
    const gradeId = (await db().grade.findFirstOrThrow({ where: { essay: { user: { email: "logged@school.org" } } } })).id;
    await waitForGrade(gradeId, ["COMPLETED"]);
    const user = await db().user.findUniqueOrThrow({ where: { email: "logged@school.org" } });
    await visitor.post("/billing", { credits: "10" });
    const purchase = await db().purchase.findFirstOrThrow({ where: { userId: user.id } });
    const delivery = signedEvent("checkout.session.completed", paidSession(purchase.id, user.id, 10));
    await fetch(`${web.url}/webhooks/stripe`, { method: "POST", body: delivery.payload, headers: { "Stripe-Signature": delivery.header } });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const webLines = lines(web.output());
    const requestLines = webLines.filter((line) => line.msg === "request");
    expect(requestLines.length).toBeGreaterThan(4);
    expect(requestLines.some((line) => line.requestId === "support-ticket-42")).toBe(true);
    // Lines written while serving a request (the Stripe event, for one) carry its id too.
    const stripeLine = webLines.find((line) => line.msg === "stripe event");
    expect(stripeLine?.requestId).toEqual(expect.any(String));

    const workerLines = lines(worker.output());
    const jobLines = workerLines.filter((line) => line.msg === "grade job done");
    expect(jobLines.length).toBeGreaterThanOrEqual(1);
    for (const line of jobLines) expect(line).toMatchObject({ jobId: gradeId, gradeId });

    const everything = `${web.output()}\n${worker.output()}`;
    for (const secret of [PASSWORD, "wrong password entirely", "marmalade lighthouses", ...Object.values(secrets), visitor.cookie("markm8_session")!]) {
      expect(everything).not.toContain(secret);
    }
  });
});
