import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";

export const meta: MetaFunction = () => [{ title: "Payment cancelled · MarkM8" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export default function BillingCancel() {
  return (
    <section className="panel narrow">
      <h1>Payment cancelled</h1>
      <p>Nothing was charged and your balance is unchanged.</p>
      <p>
        <Link to="/billing" className="button">
          Back to credits
        </Link>
      </p>
    </section>
  );
}
