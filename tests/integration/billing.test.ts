// Credits and Stripe over real HTTP: Checkout through msw's Stripe API, webhooks signed with Stripe's
// own helper, against the production build and a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { essayInput } from "../fixtures/essays";
import { STRIPE_KEYS, paidSession, signedEvent } from "../mocks/stripe";
import { balance } from "../support/grading";
import { signedUp, Visitor } from "../support/http";
import { startWeb, type Running } from "../support/processes";

let web: Running;
let bare: Running;
beforeAll(async () => {
  [web, bare] = await Promise.all([startWeb(STRIPE_KEYS, ["--import", "./tests/mocks/preload.ts"]), startWeb()]);
});
afterAll(async () => {
  await Promise.all([web?.stop(), bare?.stop()]);
});

const deliver = (base: string, delivery: { payload: string; header: string }) =>
  fetch(`${base}/webhooks/stripe`, { method: "POST", body: delivery.payload, headers: { "Stripe-Signature": delivery.header, "Content-Type": "application/json" } });

async function buyer(email: string) {
  const visitor = await signedUp(web.url, email);
  const user = await db().user.findUniqueOrThrow({ where: { email } });
  return { visitor, user };
}

async function checkout(visitor: Visitor, credits = 10) {
  const response = await visitor.post("/billing", { credits: String(credits) });
  expect(response.status).toBe(303);
  const location = response.headers.get("location")!;
  expect(location).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
  return location.split("/").pop()!;
}

const eventCount = () => db().stripeEvent.count();

describe("without Stripe keys", () => {
  it("says payments are not set up, still shows the balance and history, and refuses webhooks", async () => {
    const visitor = await signedUp(bare.url, "nokeys@school.org");
    const page = await (await visitor.get("/billing")).text();
    expect(page).toContain("Payments are not set up");
    expect(page).toMatch(/data-testid="billing-balance">3</);
    expect(page).toContain("Welcome credits");
    const buy = await visitor.post("/billing", { credits: "10" });
    expect(buy.status).toBe(503);
    expect(await buy.text()).toContain("Payments are not set up");
    expect((await deliver(bare.url, signedEvent("checkout.session.completed", {}))).status).toBe(503);
  });
});

describe("buying credits", () => {
  it("redirects to Checkout, waits for the webhook, then credits once and says so", async () => {
    const { visitor, user } = await buyer("payer@school.org");
    const page = await (await visitor.get("/billing")).text();
    expect(page).toContain("Buy 10 credits");
    expect(page).toContain("$5.00");

    const sessionId = await checkout(visitor);
    const purchase = await db().purchase.findUniqueOrThrow({ where: { id: sessionId } });
    expect(purchase).toMatchObject({ userId: user.id, credits: 10, amount: 500, currency: "usd", status: "OPEN" });

    expect(await (await visitor.get(`/billing/success?session_id=${sessionId}`)).text()).toContain("Waiting for confirmation");

    const delivery = signedEvent("checkout.session.completed", paidSession(sessionId, user.id, 10));
    const response = await deliver(web.url, delivery);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: "credited" });
    expect(await balance(user.id)).toEqual({ credits: 13, ledger: 13 });

    const done = await (await visitor.get(`/billing/success?session_id=${sessionId}`)).text();
    expect(done).toContain("Payment received, credits added");
    expect(done).toContain("10 credits were added");

    // A replay of the same event: 200, nothing more.
    const replay = await deliver(web.url, delivery);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ outcome: "duplicate" });
    expect(await balance(user.id)).toEqual({ credits: 13, ledger: 13 });
    expect(await (await visitor.get("/billing")).text()).toContain("Credits bought");
  });

  it("credits ten concurrent deliveries of one event once", async () => {
    const { visitor, user } = await buyer("tenfold@school.org");
    const sessionId = await checkout(visitor, 50);
    const delivery = signedEvent("checkout.session.completed", paidSession(sessionId, user.id, 50));
    const responses = await Promise.all(Array.from({ length: 10 }, () => deliver(web.url, delivery)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await balance(user.id)).toEqual({ credits: 53, ledger: 53 });
    expect(await db().ledgerEntry.count({ where: { reference: sessionId, reason: "PURCHASE" } })).toBe(1);
  });

  it("credits one Checkout Session once across different event types", async () => {
    const { visitor, user } = await buyer("async@school.org");
    const sessionId = await checkout(visitor);
    const session = paidSession(sessionId, user.id, 10);
    const pending = await deliver(web.url, signedEvent("checkout.session.completed", { ...session, payment_status: "unpaid" }));
    expect(await pending.json()).toMatchObject({ outcome: "recorded" });
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });
    const outcomes = await Promise.all(
      [signedEvent("checkout.session.async_payment_succeeded", session), signedEvent("checkout.session.completed", session)].map(async (d) =>
        (await (await deliver(web.url, d)).json()) as { outcome: string },
      ),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["credited", "duplicate"]);
    expect(await balance(user.id)).toEqual({ credits: 13, ledger: 13 });
  });

  it("records a failed delayed payment without crediting", async () => {
    const { visitor, user } = await buyer("declined@school.org");
    const sessionId = await checkout(visitor);
    const response = await deliver(web.url, signedEvent("checkout.session.async_payment_failed", { ...paidSession(sessionId, user.id, 10), payment_status: "unpaid" }));
    expect(await response.json()).toMatchObject({ outcome: "recorded" });
    expect((await db().purchase.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("FAILED");
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });
    expect(await (await visitor.get(`/billing/success?session_id=${sessionId}`)).text()).toContain("did not go through");
  });
});

describe("refunds and disputes", () => {
  it("takes back a refunded purchase once, even below zero, and then refuses submissions with the reason", async () => {
    const { visitor, user } = await buyer("refund@school.org");
    const sessionId = await checkout(visitor);
    await deliver(web.url, signedEvent("checkout.session.completed", paidSession(sessionId, user.id, 10, "pi_refund_1")));
    // The student spends most of it.
    await db().$executeRaw`UPDATE users SET credits = credits - 11 WHERE id = ${user.id}::uuid`;
    await db().ledgerEntry.create({ data: { userId: user.id, amount: -11, reason: "ADJUSTMENT", reference: "spent", note: "test" } });

    const refund = signedEvent("charge.refunded", { id: "ch_1", object: "charge", payment_intent: "pi_refund_1", refunded: true, amount: 500, amount_refunded: 500 });
    expect(await (await deliver(web.url, refund)).json()).toMatchObject({ outcome: "reversed" });
    expect(await (await deliver(web.url, refund)).json()).toMatchObject({ outcome: "duplicate" });
    // A dispute of the same payment takes nothing more.
    const dispute = signedEvent("charge.dispute.created", { id: "dp_1", object: "dispute", charge: "ch_1", payment_intent: "pi_refund_1", amount: 500, reason: "fraudulent" });
    expect(await (await deliver(web.url, dispute)).json()).toMatchObject({ outcome: "duplicate" });
    expect(await balance(user.id)).toEqual({ credits: -8, ledger: -8 });
    expect((await db().purchase.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("DISPUTED");

    const refused = await visitor.post("/essays/new", essayInput());
    expect(refused.status).toBe(402);
    expect(await refused.text()).toContain("Your balance is -8 because a payment was refunded or disputed.");
    expect(await (await visitor.get("/billing")).text()).toContain("Payment refunded or disputed");
  });

  it("takes back a disputed purchase and flags it for staff", async () => {
    const { visitor, user } = await buyer("dispute@school.org");
    const sessionId = await checkout(visitor);
    await deliver(web.url, signedEvent("checkout.session.completed", paidSession(sessionId, user.id, 10, "pi_dispute_1")));
    const dispute = signedEvent("charge.dispute.created", { id: "dp_2", object: "dispute", payment_intent: "pi_dispute_1", amount: 500 });
    expect(await (await deliver(web.url, dispute)).json()).toMatchObject({ outcome: "reversed" });
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });
    expect((await db().purchase.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("DISPUTED");
  });
});

describe("POST /webhooks/stripe", () => {
  it("refuses forged, unsigned and stale deliveries with 400 and writes nothing", async () => {
    const { visitor, user } = await buyer("forger@school.org");
    const sessionId = await checkout(visitor);
    const before = await eventCount();
    const object = paidSession(sessionId, user.id, 1000);

    const forged = signedEvent("checkout.session.completed", object, { secret: "whsec_not_the_secret" });
    expect((await deliver(web.url, forged)).status).toBe(400);
    const stale = signedEvent("checkout.session.completed", object, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect((await deliver(web.url, stale)).status).toBe(400);
    const good = signedEvent("checkout.session.completed", object);
    const tampered = { payload: good.payload.replace('"1000"', '"9999"'), header: good.header };
    expect((await deliver(web.url, tampered)).status).toBe(400);
    const unsigned = await fetch(`${web.url}/webhooks/stripe`, { method: "POST", body: good.payload });
    expect(unsigned.status).toBe(400);

    expect(await eventCount()).toBe(before);
    expect(await balance(user.id)).toEqual({ credits: 3, ledger: 3 });
  });

  it("answers 200 to event types it does not handle, and records them", async () => {
    const response = await deliver(web.url, signedEvent("customer.created", { id: "cus_1", object: "customer" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: "ignored" });
  });
});
