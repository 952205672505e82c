// msw plays Stripe's API where MarkM8 calls it (creating and reading Checkout Sessions), and tests
// sign webhook payloads with Stripe's own helper.
import { randomBytes } from "node:crypto";
import { http, HttpResponse } from "msw";
import Stripe from "stripe";

export const STRIPE_KEYS = { STRIPE_SECRET_KEY: "sk_test_markm8", STRIPE_WEBHOOK_SECRET: "whsec_markm8_test_secret" };

type Session = Record<string, unknown> & { id: string };
const sessions = new Map<string, Session>();

export const stripeHandlers = [
  http.post("https://api.stripe.com/v1/checkout/sessions", async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    const id = `cs_test_${randomBytes(12).toString("hex")}`;
    const session: Session = {
      id,
      object: "checkout.session",
      mode: form.get("mode"),
      status: "open",
      payment_status: "unpaid",
      url: `https://checkout.stripe.com/c/pay/${id}`,
      client_reference_id: form.get("client_reference_id"),
      customer_email: form.get("customer_email"),
      metadata: { userId: form.get("metadata[userId]"), credits: form.get("metadata[credits]") },
      amount_total: Number(form.get("line_items[0][price_data][unit_amount]")),
      currency: form.get("line_items[0][price_data][currency]"),
      success_url: form.get("success_url"),
      cancel_url: form.get("cancel_url"),
    };
    sessions.set(id, session);
    return HttpResponse.json(session);
  }),
  http.get("https://api.stripe.com/v1/checkout/sessions/:id", ({ params }) => {
    const session = sessions.get(String(params.id));
    return session
      ? HttpResponse.json(session)
      : HttpResponse.json({ error: { type: "invalid_request_error", message: "No such checkout session" } }, { status: 404 });
  }),
];

/** A webhook delivery as Stripe sends it: the JSON body and its Stripe-Signature header. */
export function signedEvent(type: string, object: Record<string, unknown>, options: { id?: string; timestamp?: number; secret?: string } = {}) {
  const payload = JSON.stringify({
    id: options.id ?? `evt_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: "2025-01-01",
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    data: { object },
  });
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? STRIPE_KEYS.STRIPE_WEBHOOK_SECRET,
    timestamp: options.timestamp,
  });
  return { payload, header };
}

/** A paid Checkout Session object, as in checkout.session.completed. */
export function paidSession(id: string, userId: string, credits: number, paymentIntent = `pi_${id.slice(8)}`) {
  return {
    id,
    object: "checkout.session",
    status: "complete",
    payment_status: "paid",
    client_reference_id: userId,
    metadata: { userId, credits: String(credits) },
    amount_total: 500,
    currency: "usd",
    payment_intent: paymentIntent,
  };
}
