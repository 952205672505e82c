import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getUser } from "~/auth/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return { signedIn: (await getUser(request)) !== null };
}

export default function Home() {
  const { signedIn } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero">
        <h1>Fair, fast feedback on every essay</h1>
        <p className="lead">
          MarkM8 grades an essay against a rubric with three independent AI graders, takes their consensus per
          criterion, and tells you plainly where they agree and where they do not. You watch the grade arrive live,
          with concrete feedback on what works and what to improve.
        </p>
        <p className="actions">
          {signedIn ? (
            <Link to="/essays/new" className="button button-large">
              Grade an essay
            </Link>
          ) : (
            <>
              <Link to="/signup" className="button button-large">
                Create a free account
              </Link>
              <Link to="/login" className="button button-quiet button-large">
                Log in
              </Link>
            </>
          )}
        </p>
      </section>
      <section className="features" aria-label="How it works">
        <article>
          <h2>Three graders, one consensus</h2>
          <p>Each essay is scored by three different models. The median per criterion is the grade; the spread shows how sure it is.</p>
        </article>
        <article>
          <h2>Real rubrics</h2>
          <p>General academic essays (1–6 per criterion) and IELTS Writing Task 2 (bands 0–9), with feedback for each criterion.</p>
        </article>
        <article>
          <h2>Live, and never lost</h2>
          <p>Progress streams onto the page as the graders finish. If grading fails, the credit comes back automatically.</p>
        </article>
      </section>
    </>
  );
}
