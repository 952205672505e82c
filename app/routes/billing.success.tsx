import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requireUser } from "~/auth/session.server";
import { checkoutState } from "~/billing/stripe.server";

export const meta: MetaFunction = () => [{ title: "Payment · MarkM8" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = new URL(request.url).searchParams.get("session_id") ?? "";
  const { state, credits } = /^cs_[\w]+$/.test(sessionId) ? await checkoutState(sessionId, user.id) : { state: "unknown" as const, credits: 0 };
  return { state, credits, balance: user.credits };
}

export default function BillingSuccess() {
  const { state, credits, balance } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  // The webhook usually lands within seconds: look again until it has.
  useEffect(() => {
    if (state !== "waiting") return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2000);
    return () => clearInterval(timer);
  }, [state, revalidator]);

  return (
    <section className="panel narrow" data-testid={`checkout-${state}`}>
      {state === "waiting" ? (
        <noscript>
          <meta httpEquiv="refresh" content="3" />
        </noscript>
      ) : null}
      {state === "credited" ? (
        <>
          <h1>Payment received, credits added</h1>
          <p>
            {`${credits} credits were added.`} Your balance is now <strong>{balance}</strong>.
          </p>
        </>
      ) : state === "waiting" ? (
        <>
          <h1>Waiting for confirmation</h1>
          <p>Stripe has your payment and is confirming it with us. This page updates by itself; it usually takes a few seconds.</p>
        </>
      ) : state === "failed" ? (
        <>
          <h1>The payment did not go through</h1>
          <p>Nothing was charged and no credits were added. You can try again from the credits page.</p>
        </>
      ) : (
        <>
          <h1>We could not find that payment</h1>
          <p>If you were charged, your credits will appear on the credits page once Stripe confirms the payment.</p>
        </>
      )}
      <p className="actions">
        <Link to="/billing" className="button button-quiet">
          Credits and history
        </Link>
        <Link to="/essays/new" className="button">
          Grade an essay
        </Link>
      </p>
    </section>
  );
}
