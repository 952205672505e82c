import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { creditPacks, startCheckout, stripe } from "~/billing/stripe.server";
import { history } from "~/credits/ledger.server";
import { log } from "~/log.server";
import { formatTime } from "~/ui/format";

export const meta: MetaFunction = () => [{ title: "Credits · MarkM8" }];

const REASONS: Record<string, string> = {
  STARTER: "Welcome credits",
  PURCHASE: "Credits bought",
  GRADE: "Essay graded",
  REFUND: "Grading failed: credit returned",
  REVERSAL: "Payment refunded or disputed",
  ADJUSTMENT: "Adjusted by support",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const entries = await history(user.id);
  return {
    balance: user.credits,
    configured: stripe() !== null,
    packs: creditPacks(),
    entries: entries.map((entry) => ({ ...entry, id: entry.id.toString(), label: REASONS[entry.reason] ?? entry.reason })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const pack = creditPacks().find((p) => String(p.credits) === form.get("credits"));
  if (!pack) return data({ error: "Choose one of the credit packs." }, { status: 400 });
  if (!stripe()) return data({ error: "Payments are not set up on this MarkM8 yet." }, { status: 503 });
  try {
    const url = await startCheckout(user, pack, new URL(request.url).origin);
    return redirect(url, 303);
  } catch (error) {
    log().error({ err: error, userId: user.id }, "could not start a Stripe Checkout Session");
    return data({ error: "Stripe could not start the payment just now. Nothing was charged; please try again." }, { status: 502 });
  }
}

const money = (amount: number, currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(amount / 100);

export default function Billing() {
  const { balance, configured, packs, entries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const buying = navigation.state !== "idle" && navigation.formAction === "/billing";
  return (
    <>
      <section className="panel">
        <h1>Credits</h1>
        <p className="lead">
          Your balance: <strong data-testid="billing-balance">{balance}</strong> credit{balance === 1 ? "" : "s"}. One credit grades one essay.
        </p>
        {balance < 0 ? (
          <p className="notice">
            Your balance is below zero because a payment was refunded or disputed. Buy credits to bring it above zero before submitting again.
          </p>
        ) : null}
        {result?.error ? (
          <p className="form-error" role="alert">
            {result.error}
          </p>
        ) : null}
        {configured ? (
          <div className="packs">
            {packs.map((pack) => (
              <Form method="post" key={pack.credits} className="pack">
                <input type="hidden" name="credits" value={pack.credits} />
                <p className="pack-credits">{`${pack.credits} credits`}</p>
                <p className="muted">{`${money(pack.amount, pack.currency)} · ${money(pack.amount / pack.credits, pack.currency)} per essay`}</p>
                <button type="submit" className="button" disabled={buying}>
                  {`Buy ${pack.credits} credits`}
                </button>
              </Form>
            ))}
          </div>
        ) : (
          <p className="notice" data-testid="payments-off">
            Payments are not set up on this MarkM8 yet, so credits cannot be bought here. Your starter credits still work; ask
            your school's administrator for more.
          </p>
        )}
        <p className="muted">Payments are handled by Stripe. A grading that fails gives its credit back automatically.</p>
      </section>
      <section className="panel">
        <h2>History</h2>
        {entries.length === 0 ? (
          <p>No changes yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">When (UTC)</th>
                  <th scope="col">What</th>
                  <th scope="col">Credits</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.id}>
                    <td>{formatTime(entry.createdAt)}</td>
                    <td>
                      {entry.label}
                      {entry.note && entry.reason === "ADJUSTMENT" ? <div className="muted">{entry.note}</div> : null}
                    </td>
                    <td className={entry.amount < 0 ? "amount-negative" : "amount-positive"}>
                      {entry.amount > 0 ? `+${entry.amount}` : entry.amount}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>
          <Link to="/essays">Back to my essays</Link>
        </p>
      </section>
    </>
  );
}
