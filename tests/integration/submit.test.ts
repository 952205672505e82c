// Submitting essays: the form over real HTTP, and the one-transaction guarantee under concurrency
// and rollback. No worker runs here, so grades stay QUEUED and jobs stay in the queue.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NoCreditsError } from "~/credits/ledger.server";
import { db } from "~/db/client.server";
import { submitEssay } from "~/grading/submit.server";
import { essayInput, essayText } from "../fixtures/essays";
import { balance, student } from "../support/grading";
import { PASSWORD, signedUp, Visitor } from "../support/http";
import { startWeb, type Running } from "../support/processes";

let web: Running;
beforeAll(async () => {
  web = await startWeb();
});
afterAll(async () => {
  await web?.stop();
});

const jobs = () => db().$queryRaw<{ id: string; state: string }[]>`SELECT id::text, state::text FROM pgboss.job WHERE name = 'grade'`;

async function loggedIn(email: string) {
  const visitor = new Visitor(web.url);
  const response = await visitor.post("/login", { email, password: PASSWORD });
  expect(response.status).toBe(302);
  return visitor;
}

describe("POST /essays/new", () => {
  it("creates the essay, its QUEUED grade, the charge and the job (id = grade id), then redirects to the essay", async () => {
    const visitor = await signedUp(web.url, "writer@school.org");
    const form = await (await visitor.get("/essays/new")).text();
    const submissionId = /name="submissionId" value="([0-9a-f-]{36})"/.exec(form)?.[1];
    expect(submissionId).toBeDefined();
    const response = await visitor.post("/essays/new", { ...essayInput(), submissionId: submissionId! });
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^\/essays\/[0-9a-f-]{36}$/);

    const essay = await db().essay.findUniqueOrThrow({ where: { id: location.split("/").pop()! }, include: { grades: true, user: true } });
    expect(essay.grades).toHaveLength(1);
    expect(essay.grades[0]).toMatchObject({ id: submissionId, status: "QUEUED", progress: 0 });
    expect(essay.wordCount).toBeGreaterThan(300);
    expect(await balance(essay.userId)).toEqual({ credits: 2, ledger: 2 });
    expect((await jobs()).map((j) => j.id)).toContain(submissionId);

    // The same form sent again (a double click, a retried request) lands on the same essay and charges nothing.
    const again = await visitor.post("/essays/new", { ...essayInput(), submissionId: submissionId! });
    expect(again.headers.get("location")).toBe(location);
    expect(await db().essay.count({ where: { userId: essay.userId } })).toBe(1);
    expect(await balance(essay.userId)).toEqual({ credits: 2, ledger: 2 });

    const page = await (await visitor.get(location)).text();
    expect(page).toContain("Why libraries still matter");
    expect(page).toContain('role="progressbar"');
    expect(page).toContain('http-equiv="refresh"');

    const list = await (await visitor.get("/essays")).text();
    expect(list).toContain("Why libraries still matter");
    expect(list).toContain("Queued");
  });

  it("returns every field as typed with a message next to each wrong one, and creates nothing", async () => {
    const visitor = await signedUp(web.url, "typo@school.org");
    const fields = { title: "x".repeat(121), prompt: "My <b>prompt</b>", rubric: "poetry", body: "Far too short an essay." };
    const response = await visitor.post("/essays/new", fields);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Keep the title to 120 characters or fewer.");
    expect(html).toContain("Choose one of the rubrics");
    expect(html).toContain("The essay has 5 words; it needs at least 150.");
    expect(html).toContain(`value="${"x".repeat(121)}"`);
    expect(html).toContain("My &lt;b&gt;prompt&lt;/b&gt;");
    expect(html).toContain("Far too short an essay.");
    const user = await db().user.findUniqueOrThrow({ where: { email: "typo@school.org" } });
    expect(await db().essay.count({ where: { userId: user.id } })).toBe(0);
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });

    const long = await visitor.post("/essays/new", { ...essayInput(), body: essayText(5200) });
    expect(long.status).toBe(400);
    expect(await long.text()).toMatch(/the limit is 5,000/);

    const binary = await visitor.post("/essays/new", { ...essayInput(), body: `${essayText(200)}\u0000\u0001` });
    expect(binary.status).toBe(400);
    expect(await binary.text()).toContain("characters that are not text");
  });

  it("lets exactly one of fifty simultaneous submissions through on one credit; the rest learn why and where to buy", async () => {
    const user = await student(1, "racer@school.org");
    const visitor = await loggedIn(user.email);
    const responses = await Promise.all(Array.from({ length: 50 }, () => visitor.post("/essays/new", essayInput())));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s === 402)).toHaveLength(49);
    const refused = await responses.find((r) => r.status === 402)!.text();
    expect(refused).toContain("You have no credits left.");
    expect(refused).toContain('href="/billing"');
    expect(refused).toContain("Why libraries still matter");

    expect(await db().essay.count({ where: { userId: user.id } })).toBe(1);
    expect(await db().grade.count({ where: { essay: { userId: user.id } } })).toBe(1);
    expect(await balance(user.id)).toEqual({ credits: 0, ledger: 0 });
    const grade = await db().grade.findFirstOrThrow({ where: { essay: { userId: user.id } } });
    expect((await jobs()).filter((j) => j.id === grade.id)).toHaveLength(1);
  });

  it("says why when a refund or dispute made the balance negative", async () => {
    const user = await student(-2, "refunded@school.org");
    const visitor = await loggedIn(user.email);
    const response = await visitor.post("/essays/new", essayInput());
    expect(response.status).toBe(402);
    expect(await response.text()).toContain("Your balance is -2 because a payment was refunded or disputed.");
  });

  it("shows another student's essay as not found", async () => {
    const owner = await student(1, "owner@school.org");
    const essayId = await submitEssay(owner.id, essayInput());
    const other = await signedUp(web.url, "nosy@school.org");
    expect((await other.get(`/essays/${essayId}`)).status).toBe(404);
    expect((await other.get(`/essays/not-a-uuid`)).status).toBe(404);
    expect(await (await other.get("/essays")).text()).not.toContain(essayId);
    const visitor = new Visitor(web.url);
    const anonymous = await visitor.get(`/essays/${essayId}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("submitEssay", () => {
  it("leaves no job, no grade and no charge when the transaction rolls back at COMMIT", async () => {
    const user = await student(2, "rollback@school.org");
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    // A deferred constraint trigger fails the transaction at COMMIT, after the job was inserted.
    await admin.query(`
      CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated failure at commit'; END $$;
      CREATE CONSTRAINT TRIGGER fail_essays AFTER INSERT ON essays DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION fail_at_commit();`);
    const before = (await jobs()).length;
    try {
      await expect(submitEssay(user.id, essayInput())).rejects.toThrow(/simulated failure at commit/);
    } finally {
      await admin.query(`DROP TRIGGER fail_essays ON essays; DROP FUNCTION fail_at_commit();`);
      await admin.end();
    }
    expect(await db().essay.count({ where: { userId: user.id } })).toBe(0);
    expect(await db().grade.count({ where: { essay: { userId: user.id } } })).toBe(0);
    expect((await jobs()).length).toBe(before);
    expect(await balance(user.id)).toEqual({ credits: 2, ledger: 2 });
    expect(await db().ledgerEntry.count({ where: { userId: user.id, reason: "GRADE" } })).toBe(0);
  });

  it("never takes a balance below zero, whatever the concurrency", async () => {
    const user = await student(3, "many@school.org");
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => submitEssay(user.id, essayInput())));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected.every((r) => r.reason instanceof NoCreditsError)).toBe(true);
    expect(await balance(user.id)).toEqual({ credits: 0, ledger: 0 });
  });
});
