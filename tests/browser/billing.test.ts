// From the billing page to Stripe Checkout (the Stripe page itself is not loaded) and, after a signed
// webhook, the new balance on the page. msw plays Stripe's API inside the web process.
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { STRIPE_KEYS, paidSession, signedEvent } from "../mocks/stripe";
import { browserSuite, chromiumPath, signUp } from "../support/browser";

const app = browserSuite({ web: { env: STRIPE_KEYS, options: ["--import", "./tests/mocks/preload.ts"] } });

describe.skipIf(!chromiumPath).each([
  { javaScriptEnabled: true, name: "with JavaScript" },
  { javaScriptEnabled: false, name: "without JavaScript" },
])("buying credits $name", ({ javaScriptEnabled }) => {
  it("goes to Stripe Checkout and, once the webhook lands, shows the new balance", async () => {
    const context = await app.browser.newContext({ javaScriptEnabled, baseURL: app.web.url });
    const checkoutPages: string[] = [];
    await context.route("https://checkout.stripe.com/**", (route) => {
      checkoutPages.push(route.request().url());
      return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Stripe Checkout</h1>" });
    });
    const page = await context.newPage();
    const email = `buyer-${javaScriptEnabled}@school.org`;
    await signUp(page, email);

    await page.getByRole("link", { name: "Credits" }).first().click();
    await page.getByRole("button", { name: "Buy 10 credits" }).click();
    await page.waitForURL(/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const sessionId = checkoutPages[0]!.split("/").pop()!;
    expect(sessionId).toMatch(/^cs_test_/);

    // Stripe sends the customer back before or after its webhook; here, before.
    await page.goto(`/billing/success?session_id=${sessionId}`);
    await page.getByText("Waiting for confirmation").waitFor();

    const user = await db().user.findUniqueOrThrow({ where: { email } });
    const { payload, header } = signedEvent("checkout.session.completed", paidSession(sessionId, user.id, 10));
    const response = await fetch(`${app.web.url}/webhooks/stripe`, { method: "POST", body: payload, headers: { "Stripe-Signature": header } });
    expect(response.status).toBe(200);

    // With JavaScript the page looks again by itself; without, it refreshes itself.
    await page.getByText("Payment received, credits added").waitFor({ timeout: 15_000 });
    expect(await page.getByTestId("balance").textContent()).toBe("13");
    await context.close();
  });
});
