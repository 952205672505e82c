// The page shell: product name, navigation, the signed-in user's balance, and one-time messages.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { getUser } from "~/auth/session.server";
import { takeFlash } from "~/flash.server";
import stylesheet from "~/styles/app.css";
import { useNonce } from "~/ui/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "MarkM8: essay grading you can trust" },
  { name: "description", content: "Three independent AI graders, one consensus grade, feedback per criterion." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, { flash, setCookie }] = await Promise.all([getUser(request), takeFlash(request)]);
  return data(
    { user: user && { email: user.email, role: user.role, credits: user.credits }, flash },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const user = root?.user;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="container header-row">
            <Link to="/" className="brand" aria-label="MarkM8 home">
              <span aria-hidden="true" className="brand-mark">
                M8
              </span>
              MarkM8
            </Link>
            <nav aria-label="Main" className="main-nav">
              {user ? (
                <>
                  <NavLink to="/essays" end>
                    My essays
                  </NavLink>
                  <NavLink to="/essays/new">New essay</NavLink>
                  <NavLink to="/billing">Credits</NavLink>
                  {user.role === "STAFF" ? <NavLink to="/admin">Admin</NavLink> : null}
                </>
              ) : null}
            </nav>
            <div className="account">
              {user ? (
                <>
                  <Link to="/billing" className="balance" title="Your credit balance">
                    <span data-testid="balance">{user.credits}</span> credit{user.credits === 1 ? "" : "s"}
                  </Link>
                  <span className="account-email">{user.email}</span>
                  <Form method="post" action="/logout">
                    <button type="submit" className="button button-quiet">
                      Log out
                    </button>
                  </Form>
                </>
              ) : (
                <>
                  <Link to="/login" className="button button-quiet">
                    Log in
                  </Link>
                  <Link to="/signup" className="button">
                    Sign up
                  </Link>
                </>
              )}
            </div>
          </div>
        </header>
        {root?.flash ? (
          <div className="container">
            <p role="status" className={`flash flash-${root.flash.kind}`}>
              {root.flash.message}
            </p>
          </div>
        ) : null}
        <main id="main" className="container">
          {children}
        </main>
        <footer className="site-footer container">
          <p>MarkM8 grades essays with three independent graders and shows where they agree.</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  if (isRouteErrorResponse(error)) {
    const title =
      error.status === 404 ? "Page not found" : error.status === 403 ? "Not allowed" : `Something went wrong (${error.status})`;
    const text =
      error.status === 404
        ? `There is nothing at ${location.pathname}.`
        : error.status === 403
          ? "Your account cannot open this page."
          : typeof error.data === "string"
            ? error.data
            : "Please try again.";
    return (
      <section className="panel narrow">
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <Link to="/">Go to the home page</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="panel narrow">
      <h1>Something went wrong</h1>
      <p>An unexpected error stopped this page. Nothing you submitted was lost; please try again in a moment.</p>
    </section>
  );
}
