// Attacks and bad input, as a browser or a script would send them over HTTP to the production build.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { essayInput, essayText } from "../fixtures/essays";
import { balance } from "../support/grading";
import { signedUp, Visitor } from "../support/http";
import { startWeb, type Running } from "../support/processes";
import { staffVisitor } from "../support/staff";

let web: Running;
beforeAll(async () => {
  web = await startWeb();
});
afterAll(async () => {
  await web?.stop();
});

const EVIL = "https://evil.example";

/** A raw HTTP request, for what fetch will not send (a lying Content-Length, chunked bodies). */
function raw(path: string, headers: Record<string, string>, body: string, end = true) {
  const url = new URL(web.url);
  return new Promise<{ status: number; text: string; ms: number }>((resolve, reject) => {
    const started = Date.now();
    const request = http.request({ host: "127.0.0.1", port: url.port, path, method: "POST", headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, text, ms: Date.now() - started }));
    });
    request.on("error", reject);
    request.write(body);
    if (end) request.end();
  });
}

describe("cross-site form posts", () => {
  it("are refused on every state-changing action, and change nothing", async () => {
    const visitor = await signedUp(web.url, "victim@school.org");
    const user = await db().user.findUniqueOrThrow({ where: { email: "victim@school.org" } });
    const staff = await staffVisitor(web.url);
    const attempts: [Visitor, string, Record<string, string>][] = [
      [visitor, "/essays/new", essayInput()],
      [visitor, "/billing", { credits: "10" }],
      [visitor, "/logout", {}],
      [new Visitor(web.url), "/login", { email: "victim@school.org", password: "anything at all" }],
      [new Visitor(web.url), "/signup", { email: "planted@school.org", password: "correct horse battery staple" }],
      [staff.visitor, "/admin/credits", { email: "victim@school.org", amount: "500", reason: "attacker's gift", confirm: "yes" }],
    ];
    for (const [who, path, fields] of attempts) {
      const response = await who.post(path, fields, { Origin: EVIL });
      expect(response.status, path).toBe(403);
      expect(await response.text()).toContain("sent from another site");
      const nullOrigin = await who.post(path, fields, { Origin: "null" });
      expect(nullOrigin.status, `${path} with Origin: null`).toBe(403);
    }
    expect(await db().essay.count({ where: { userId: user.id } })).toBe(0);
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });
    expect(await db().user.count({ where: { email: "planted@school.org" } })).toBe(0);
    // Still signed in: the forged logout did nothing.
    expect(await (await visitor.get("/")).text()).toContain("victim@school.org");
    // The same posts from MarkM8's own pages work.
    expect((await visitor.post("/essays/new", essayInput())).status).toBe(302);
  });
});

describe("essay text and titles containing HTML", () => {
  it("are shown as text, on pages that carry a Content-Security-Policy with a per-response nonce", async () => {
    const visitor = await signedUp(web.url, "mallory@school.org");
    const payload = `<script>alert("title")</script><img src=x onerror="alert('img')">`;
    const response = await visitor.post("/essays/new", essayInput({ title: payload.slice(0, 110), prompt: payload, body: `${payload}\n\n${essayText(300)}` }));
    expect(response.status).toBe(302);
    const page = await visitor.get(response.headers.get("location")!);
    const html = await page.text();
    expect(html).not.toContain('<script>alert("title")');
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;");

    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const again = await visitor.get(response.headers.get("location")!);
    expect(/'nonce-([^']+)'/.exec(again.headers.get("content-security-policy")!)?.[1]).not.toBe(nonce);
  });
});

describe("oversized and malformed bodies", () => {
  it("refuses a body over 1 MB with 413 from its declared length, before reading it", async () => {
    const visitor = await signedUp(web.url, "bulky@school.org");
    // Declares 50 MB, sends 1 KB, never finishes: the answer must not wait for the rest.
    const result = await raw(
      "/essays/new",
      {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": String(50 * 1024 * 1024),
        Cookie: `markm8_session=${visitor.cookie("markm8_session")}`,
      },
      "title=x&body=" + "a".repeat(1024),
      false,
    );
    expect(result.status).toBe(413);
    expect(result.text).toContain("too large");
    const chunked = await raw("/login", { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" }, "email=a");
    expect(chunked.status).toBe(411);
    const bigButHonest = await visitor.post("/essays/new", { ...essayInput(), body: "word ".repeat(300_000) });
    expect(bigButHonest.status).toBe(413);
  });

  it("gives empty, binary and invalid UTF-8 essays a clear message and keeps the rest of the form", async () => {
    const visitor = await signedUp(web.url, "odd@school.org");
    const empty = await visitor.post("/essays/new", { ...essayInput(), body: "   \n  " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Paste or type your essay.");

    const binary = await visitor.post("/essays/new", { ...essayInput(), body: `${essayText(200)}\u0000\u0007PK\u0003\u0004` });
    expect(binary.status).toBe(400);
    expect(await binary.text()).toContain("characters that are not text");

    const invalid = `title=Broken+bytes&rubric=general&body=${encodeURIComponent(essayText(200))}%FF%FE%C3%28`;
    const response = await visitor.request("/essays/new", {
      method: "POST",
      body: invalid,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: web.url },
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("characters that are not text");
    expect(html).toContain('value="Broken bytes"');
    const user = await db().user.findUniqueOrThrow({ where: { email: "odd@school.org" } });
    expect(await db().essay.count({ where: { userId: user.id } })).toBe(0);
  });
});
