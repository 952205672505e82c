// Accounts over real HTTP against the production build and a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { THROTTLE } from "~/auth/throttle.server";
import { PASSWORD, signedUp, Visitor } from "../support/http";
import { startWeb, type Running } from "../support/processes";

let web: Running;
beforeAll(async () => {
  web = await startWeb();
});
afterAll(async () => {
  await web?.stop();
});

const sessionCount = () => db().session.count();

describe("sign-up", () => {
  it("creates a student with a hashed password, a normalised email and starter credits in the ledger", async () => {
    const visitor = new Visitor(web.url);
    const response = await visitor.post("/signup", { email: "  Ada.Lovelace@School.ORG ", password: PASSWORD });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/essays/new");
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("markm8_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);

    const user = await db().user.findUniqueOrThrow({ where: { email: "ada.lovelace@school.org" }, include: { ledger: true } });
    expect(user.role).toBe("STUDENT");
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    expect(user.credits).toBe(3);
    expect(user.ledger.map((entry) => [entry.reason, entry.amount])).toEqual([["STARTER", 3]]);

    const home = await (await visitor.get("/")).text();
    expect(home).toContain("ada.lovelace@school.org");
    expect(home).toMatch(/data-testid="balance">3</);
  });

  it("refuses a duplicate email, whatever its case, keeping what was typed", async () => {
    await signedUp(web.url, "grace@school.org");
    const response = await new Visitor(web.url).post("/signup", { email: "GRACE@school.org", password: PASSWORD });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("An account with this email already exists");
    expect(html).toContain('value="GRACE@school.org"');
    expect(await db().user.count({ where: { email: "grace@school.org" } })).toBe(1);
  });

  it("refuses weak passwords and bad emails with a message next to the field", async () => {
    for (const [email, password, message] of [
      ["weak@school.org", "short", "Use at least 10 characters."],
      ["weak@school.org", "password123", "too common"],
      ["weak@school.org", "aaaaaaaaaaaa", "more different characters"],
      ["not-an-email", PASSWORD, "Enter a valid email address"],
    ] as const) {
      const response = await new Visitor(web.url).post("/signup", { email, password });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).toContain(`value="${email}"`);
      expect(html).toMatch(/aria-invalid="true"/);
    }
    expect(await db().user.count({ where: { email: "weak@school.org" } })).toBe(0);
  });
});

describe("log-in and log-out", () => {
  it("starts a new session at each login and deletes it at logout", async () => {
    const first = await signedUp(web.url, "lin@school.org");
    const planted = new Visitor(web.url);
    planted.setCookie("markm8_session", first.cookie("markm8_session")!);

    const before = await sessionCount();
    const response = await planted.post("/login", { email: "lin@school.org", password: PASSWORD, redirectTo: "/billing" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/billing");
    expect(planted.cookie("markm8_session")).toBeDefined();
    expect(planted.cookie("markm8_session")).not.toBe(first.cookie("markm8_session"));
    expect(await sessionCount()).toBe(before + 1);

    const stolen = planted.cookie("markm8_session")!;
    const out = await planted.post("/logout", {});
    expect(out.status).toBe(302);
    expect(await sessionCount()).toBe(before);
    const replay = new Visitor(web.url);
    replay.setCookie("markm8_session", stolen);
    expect(await (await replay.get("/")).text()).not.toContain("lin@school.org");
  });

  it("says a wrong password is wrong, keeps the email, and never redirects off-site", async () => {
    await signedUp(web.url, "mo@school.org");
    const wrong = await new Visitor(web.url).post("/login", { email: "mo@school.org", password: "not the password" });
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(html).toContain("Wrong email or password.");
    expect(html).toContain('value="mo@school.org"');

    const offsite = await new Visitor(web.url).post("/login", { email: "mo@school.org", password: PASSWORD, redirectTo: "//evil.example" });
    expect(offsite.headers.get("location")).toBe("/essays");
  });

  it("slows down and then refuses repeated failures for one email, even with the right password", async () => {
    await signedUp(web.url, "target@school.org");
    const timings: number[] = [];
    for (let attempt = 1; attempt <= THROTTLE.LOCK_AFTER; attempt++) {
      const started = Date.now();
      const response = await new Visitor(web.url).post("/login", { email: "target@school.org", password: `guess number ${attempt}` });
      timings.push(Date.now() - started);
      expect(response.status).toBe(400);
    }
    // The last allowed attempts waited at least their delay (a floor, not a timing assertion).
    expect(timings.at(-1)).toBeGreaterThanOrEqual((THROTTLE.LOCK_AFTER - THROTTLE.SLOW_AFTER) * THROTTLE.STEP_MS);

    const locked = await new Visitor(web.url).post("/login", { email: "target@school.org", password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain("Too many failed log-in attempts");

    // Another email is unaffected.
    await signedUp(web.url, "bystander@school.org");
    const other = await new Visitor(web.url).post("/login", { email: "bystander@school.org", password: PASSWORD });
    expect(other.status).toBe(302);
  });

  it("counts parallel guesses, so a burst cannot get past the limit", async () => {
    await signedUp(web.url, "burst@school.org");
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => new Visitor(web.url).post("/login", { email: "burst@school.org", password: `burst ${i}` })),
    );
    const statuses = burst.map((response) => response.status);
    expect(statuses.filter((status) => status === 400)).toHaveLength(THROTTLE.LOCK_AFTER);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - THROTTLE.LOCK_AFTER);
  });
});
