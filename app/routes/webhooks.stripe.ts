// POST /webhooks/stripe: Stripe's events, verified against the raw body. A missing or bad signature
// or a stale timestamp is a 400 that writes nothing; a verified event is applied once (see
// billing/webhook.server.ts) and answered 200, replays included.
import type { ActionFunctionArgs } from "@remix-run/node";
import Stripe from "stripe";
import { applyStripeEvent } from "~/billing/webhook.server";
import { env } from "~/env.server";
import { log } from "~/log.server";

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405 });
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) return new Response("Stripe webhooks are not configured", { status: 503 });
  const signature = request.headers.get("stripe-signature");
  if (!signature) return new Response("Missing Stripe-Signature header", { status: 400 });
  const body = await request.text();
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(body, signature, secret);
  } catch (error) {
    log().warn({ err: error }, "rejected a Stripe webhook with a bad signature");
    return new Response("Invalid signature", { status: 400 });
  }
  const outcome = await applyStripeEvent(event);
  return Response.json({ received: true, outcome });
}

export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}
