// Support's admin over real HTTP: who may enter, and what staff actions do to jobs, grades, credits and
// the audit log, with the real queue and a worker (in this process; msw plays the AI endpoint).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { submitEssay } from "~/grading/submit.server";
import { boss } from "~/queue/boss.server";
import { startWorking } from "../../worker/work";
import { essayInput } from "../fixtures/essays";
import { agree, aiHandlers, type Plan, AI_ENV } from "../mocks/ai";
import { startMockServer } from "../mocks/server";
import { balance, student, waitForGrade } from "../support/grading";
import { PASSWORD, signedUp, Visitor } from "../support/http";
import { startWeb, type Running } from "../support/processes";
import { staffVisitor } from "../support/staff";

Object.assign(process.env, {
  ...AI_ENV,
  GRADE_RETRY_LIMIT: "0",
  WORKER_POLL_SECONDS: "0.5",
});
const mock = startMockServer();
const answer = (plan: Plan) => {
  mock.resetHandlers();
  mock.use(...aiHandlers(plan));
};
const down: Plan = () => ({ status: 503 });

let web: Running;
beforeAll(async () => {
  answer(agree);
  web = await startWeb({ GRADE_RETRY_LIMIT: "0" });
  await startWorking(await boss("worker"));
});
afterAll(async () => {
  mock.close();
  await web?.stop();
});

async function failedGrade(userId: string) {
  const essayId = await submitEssay(userId, essayInput());
  const { id } = await db().grade.findFirstOrThrow({ where: { essayId } });
  const grade = await waitForGrade(id, ["FAILED", "COMPLETED"]);
  expect(grade.status).toBe("FAILED");
  // The job is failed in pg-boss as well once the dead letter was handled.
  return id;
}

const jobState = async (id: string) =>
  (await db().$queryRaw<{ state: string }[]>`SELECT state::text FROM pgboss.job WHERE name = 'grade' AND id = ${id}::uuid`)[0]?.state;

describe("who may enter /admin", () => {
  const routes = () => [`/admin`, `/admin/jobs`, `/admin/jobs/${randomUUID()}`, `/admin/credits`, `/admin/audit`];
  const actions = () => [
    ["/admin/jobs", { ids: randomUUID() }],
    [`/admin/jobs/${randomUUID()}`, { intent: "retry" }],
    [`/admin/jobs/${randomUUID()}`, { intent: "cancel", confirm: "yes", reason: "testing guards" }],
    ["/admin/credits", { email: "x@school.org", amount: "100", reason: "free credits please", confirm: "yes" }],
  ] as const;

  it("sends a visitor to log in from every admin page and action", async () => {
    const visitor = new Visitor(web.url);
    for (const path of routes()) {
      const response = await visitor.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toMatch(/^\/login\?redirectTo=/);
    }
    for (const [path, fields] of actions()) {
      const response = await visitor.post(path, fields);
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toMatch(/^\/login/);
    }
  });

  it("refuses a student with 403 on every admin page and action, and changes nothing", async () => {
    const visitor = await signedUp(web.url, "curious@school.org");
    const user = await db().user.findUniqueOrThrow({ where: { email: "curious@school.org" } });
    for (const path of routes()) expect((await visitor.get(path)).status, path).toBe(403);
    for (const [path, fields] of actions()) {
      const body = path === "/admin/credits" ? { ...fields, email: "curious@school.org" } : fields;
      expect((await visitor.post(path, body)).status, path).toBe(403);
    }
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });
    expect(await db().auditEntry.count()).toBe(0);
    expect(await (await visitor.get("/")).text()).not.toContain('href="/admin"');
  });
});

describe("staff", () => {
  it("see failed jobs with the student, essay and error, and retry one to COMPLETED without charging again", async () => {
    const staff = await staffVisitor(web.url);
    const user = await student(3);
    answer(down);
    const gradeId = await failedGrade(user.id);
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 }); // charged, then refunded

    const overview = await (await staff.visitor.get("/admin")).text();
    expect(overview).toMatch(/data-testid="stat-failed"><span class="stat-value">[1-9]/);
    expect(overview).toContain("live");

    const list = await (await staff.visitor.get(`/admin/jobs?email=${encodeURIComponent(user.email)}`)).text();
    expect(list).toContain(user.email);
    expect(list).toContain("Why libraries still matter");
    expect(list).toContain("graders returned a usable grade");
    expect(list).toContain(gradeId.slice(0, 8));
    const nobody = await (await staff.visitor.get("/admin/jobs?email=nobody-at-all")).text();
    expect(nobody).toContain("No jobs match.");

    const detail = await (await staff.visitor.get(`/admin/jobs/${gradeId}`)).text();
    expect(detail).toContain("endpoint answered 503");
    expect(detail).toContain("Grade timeline");
    expect(detail).toContain("Retry this job");

    answer(agree);
    const retry = await staff.visitor.post(`/admin/jobs/${gradeId}`, { intent: "retry" });
    expect(retry.status).toBe(302);
    const grade = await waitForGrade(gradeId, ["COMPLETED"]);
    expect(grade.error).toBeNull();
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });
    expect(await db().ledgerEntry.count({ where: { userId: user.id, reason: "GRADE" } })).toBe(1);
    const events = await db().gradeEvent.findMany({ where: { gradeId }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.status)).toEqual(expect.arrayContaining(["FAILED", "QUEUED", "COMPLETED"]));
    expect(events.find((e) => e.stage === "Queued again by support")).toBeDefined();
    const audit = await db().auditEntry.findFirstOrThrow({ where: { gradeId, action: "job.retry" } });
    expect(audit.actorEmail).toBe(staff.email);
  });

  it("retry several jobs at once, and a second failure refunds nothing more", async () => {
    const staff = await staffVisitor(web.url);
    const user = await student(5);
    answer(down);
    const ids = [await failedGrade(user.id), await failedGrade(user.id), await failedGrade(user.id)];
    expect(await balance(user.id)).toEqual({ credits: 5, ledger: 5 });

    // Still down: the retried jobs fail again.
    const again = await staff.visitor.post("/admin/jobs?state=failed", { ids: ids[0]! });
    expect(again.status).toBe(302);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await waitForGrade(ids[0]!, ["FAILED"]);
    for (let i = 0; i < 40 && (await jobState(ids[0]!)) !== "failed"; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await db().ledgerEntry.count({ where: { reference: ids[0], reason: "REFUND" } })).toBe(1);
    expect(await balance(user.id)).toEqual({ credits: 5, ledger: 5 });

    answer(agree);
    const form = new URLSearchParams();
    for (const id of ids) form.append("ids", id);
    const bulk = await staff.visitor.request("/admin/jobs", { method: "POST", body: form, headers: { Origin: web.url } });
    expect(bulk.status).toBe(302);
    for (const id of ids) expect((await waitForGrade(id, ["COMPLETED"])).status).toBe("COMPLETED");
    expect(await db().auditEntry.count({ where: { action: "job.retry", gradeId: { in: ids } } })).toBe(4);
    expect(await balance(user.id)).toEqual({ credits: 5, ledger: 5 });
  });

  it("adjust a student's credits with a reason, in the ledger and the audit log", async () => {
    const staff = await staffVisitor(web.url);
    const user = await student(3);
    const bad = await staff.visitor.post("/admin/credits", { email: user.email, amount: "0", reason: "x" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("The adjustment cannot be zero.");
    expect(html).toContain("Give a reason");
    expect(html).toContain("Tick the box to confirm.");
    const unknown = await staff.visitor.post("/admin/credits", { email: "ghost@school.org", amount: "5", reason: "goodwill gesture", confirm: "yes" });
    expect(unknown.status).toBe(404);
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });

    const ok = await staff.visitor.post("/admin/credits", { email: user.email, amount: "5", reason: "Grader outage on Monday", confirm: "yes" });
    expect(ok.status).toBe(302);
    expect(await balance(user.id)).toEqual({ credits: 8, ledger: 8 });
    const entry = await db().ledgerEntry.findFirstOrThrow({ where: { userId: user.id, reason: "ADJUSTMENT", actorId: staff.id } });
    expect(entry).toMatchObject({ amount: 5, note: "Grader outage on Monday" });
    const take = await staff.visitor.post("/admin/credits", { email: user.email, amount: "-2", reason: "Duplicate goodwill", confirm: "yes" });
    expect(take.status).toBe(302);
    expect(await balance(user.id)).toEqual({ credits: 6, ledger: 6 });

    const log = await (await staff.visitor.get("/admin/audit")).text();
    expect(log).toContain("credits.adjust");
    expect(log).toContain("Grader outage on Monday");
    expect(log).toContain(staff.email);
    const student_ = new Visitor(web.url);
    await student_.post("/login", { email: user.email, password: PASSWORD });
    expect(await (await student_.get("/billing")).text()).toContain("Adjusted by support");
  });
});
