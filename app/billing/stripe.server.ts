// Stripe behind a few functions: start a Checkout Session for a credit pack, and read one back. The
// SDK is created only when STRIPE_SECRET_KEY is set; without it billing says payments are not set up.
import Stripe from "stripe";
import { db } from "~/db/client.server";
import { env } from "~/env.server";

export type Pack = { credits: number; amount: number; currency: string };

export function creditPacks(): Pack[] {
  return env().CREDIT_PACKS.map((pack) => ({ ...pack, currency: env().CURRENCY }));
}

let client: Stripe | undefined;

/** The Stripe client, or null when payments are not configured. */
export function stripe(): Stripe | null {
  const key = env().STRIPE_SECRET_KEY;
  if (!key) return null;
  client ??= new Stripe(key, { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: "MarkM8" } });
  return client;
}

/** Opens a Checkout Session for `pack` and records it as an open purchase; returns Stripe's page. */
export async function startCheckout(user: { id: string; email: string }, pack: Pack, origin: string): Promise<string> {
  const api = stripe();
  if (!api) throw new Error("Stripe is not configured");
  const base = env().APP_URL ?? origin;
  const metadata = { userId: user.id, credits: String(pack.credits) };
  const session = await api.checkout.sessions.create({
    mode: "payment",
    client_reference_id: user.id,
    customer_email: user.email,
    metadata,
    payment_intent_data: { metadata },
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: pack.currency,
          unit_amount: pack.amount,
          product_data: { name: `${pack.credits} MarkM8 credits`, description: `${pack.credits} essay gradings` },
        },
      },
    ],
    success_url: `${base}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${base}/billing/cancel`,
  });
  if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
  await db().purchase.create({
    data: { id: session.id, userId: user.id, credits: pack.credits, amount: pack.amount, currency: pack.currency },
  });
  return session.url;
}

export type CheckoutState = "credited" | "waiting" | "failed" | "unknown";

/** Where the viewer's Checkout Session stands: credited once its webhook landed, waiting until then. */
export async function checkoutState(sessionId: string, userId: string): Promise<{ state: CheckoutState; credits: number }> {
  const purchase = await db().purchase.findFirst({ where: { id: sessionId, userId } });
  if (!purchase) return { state: "unknown", credits: 0 };
  if (purchase.status === "PAID" || purchase.status === "REFUNDED" || purchase.status === "DISPUTED") {
    return { state: "credited", credits: purchase.credits };
  }
  if (purchase.status === "FAILED") return { state: "failed", credits: purchase.credits };
  // Ask Stripe, so a student whose payment failed is not told to wait forever.
  const session = await stripe()?.checkout.sessions.retrieve(sessionId).catch(() => null);
  if (session?.status === "expired") return { state: "failed", credits: purchase.credits };
  return { state: "waiting", credits: purchase.credits };
}
