// Applying a verified Stripe event, in ONE transaction: record the event id (a replay or a concurrent
// duplicate finds it and does nothing), then credit, record or take back. Credits move only through
// the ledger, whose (reason, reference) key credits a Checkout Session once and reverses it once,
// whichever event types arrive and in whatever order.
import type Stripe from "stripe";
import { applyOnce, type Tx } from "~/credits/ledger.server";
import { db } from "~/db/client.server";
import type { PurchaseStatus } from "~/generated/prisma/enums";
import { log } from "~/log.server";

export type Outcome = "duplicate" | "credited" | "recorded" | "reversed" | "ignored";

async function credit(tx: Tx, session: Stripe.Checkout.Session): Promise<Outcome> {
  const userId = session.metadata?.userId ?? session.client_reference_id;
  const credits = Number(session.metadata?.credits);
  if (!userId || !Number.isInteger(credits) || credits < 1) return "ignored";
  const paymentIntentId = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
  await tx.purchase.upsert({
    where: { id: session.id },
    create: { id: session.id, userId, credits, amount: session.amount_total ?? 0, currency: session.currency ?? "usd", status: "PAID", paymentIntentId },
    update: { paymentIntentId: paymentIntentId ?? undefined },
  });
  const applied = await applyOnce(tx, { userId, amount: credits, reason: "PURCHASE", reference: session.id, note: `${credits} credits bought` });
  // A purchase refunded or disputed before this event arrived keeps that status.
  await tx.purchase.updateMany({ where: { id: session.id, status: { in: ["OPEN", "FAILED"] } }, data: { status: "PAID" } });
  return applied ? "credited" : "duplicate";
}

async function reverse(tx: Tx, paymentIntent: string | null, status: PurchaseStatus, why: string): Promise<Outcome> {
  if (!paymentIntent) return "ignored";
  const purchase = await tx.purchase.findUnique({ where: { paymentIntentId: paymentIntent } });
  if (!purchase) return "ignored";
  await tx.purchase.update({ where: { id: purchase.id }, data: { status } });
  // Only credits that were given can be taken back.
  const credited = await tx.ledgerEntry.findUnique({ where: { reason_reference: { reason: "PURCHASE", reference: purchase.id } } });
  if (!credited) return "recorded";
  const applied = await applyOnce(tx, {
    userId: purchase.userId,
    amount: -purchase.credits,
    reason: "REVERSAL",
    reference: purchase.id,
    note: why,
  });
  return applied ? "reversed" : "duplicate";
}

const intentOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : (value?.id ?? null));

export async function applyStripeEvent(event: Stripe.Event): Promise<Outcome> {
  const outcome = await db().$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO stripe_events (id, type) VALUES (${event.id}, ${event.type}) ON CONFLICT (id) DO NOTHING`;
    if (inserted === 0) return "duplicate" as const;
    switch (event.type) {
      case "checkout.session.completed":
        // Delayed payment methods complete the session unpaid; async_payment_succeeded credits them later.
        return event.data.object.payment_status === "unpaid" ? "recorded" : credit(tx, event.data.object);
      case "checkout.session.async_payment_succeeded":
        return credit(tx, event.data.object);
      case "checkout.session.async_payment_failed":
        await tx.purchase.updateMany({ where: { id: event.data.object.id, status: "OPEN" }, data: { status: "FAILED" } });
        return "recorded";
      case "charge.refunded":
        return reverse(tx, intentOf(event.data.object.payment_intent), "REFUNDED", "Payment refunded");
      case "charge.dispute.created":
        return reverse(tx, intentOf(event.data.object.payment_intent), "DISPUTED", "Payment disputed");
      default:
        return "ignored";
    }
  });
  const level = outcome === "reversed" ? "warn" : "info";
  log()[level]({ stripeEvent: event.id, type: event.type, outcome }, "stripe event");
  return outcome;
}
