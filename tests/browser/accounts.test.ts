// The sign-up, log-out, log-in journey in a real browser, once with JavaScript and once without.
import { describe, expect, it } from "vitest";
import { browserSuite, chromiumPath, signUp } from "../support/browser";
import { PASSWORD } from "../support/http";

const app = browserSuite();

describe.skipIf(!chromiumPath).each([
  { javaScriptEnabled: true, name: "with JavaScript" },
  { javaScriptEnabled: false, name: "without JavaScript" },
])("accounts $name", ({ javaScriptEnabled }) => {
  it("signs up (after a rejected weak password), logs out and logs back in", async () => {
    const context = await app.browser.newContext({ javaScriptEnabled, baseURL: app.web.url });
    const page = await context.newPage();
    const email = `journey-${javaScriptEnabled ? "js" : "nojs"}@school.org`;

    await page.goto("/");
    await page.getByRole("link", { name: "Sign up" }).first().click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByText("Use at least 10 characters.").waitFor();
    expect(await page.getByLabel("Email").inputValue()).toBe(email);

    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL("**/essays/new");
    expect(await page.locator(".account-email").textContent()).toBe(email);
    expect(await page.getByTestId("balance").textContent()).toBe("3");

    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByText("You are logged out.").waitFor();
    await page.getByRole("link", { name: "Log in" }).first().waitFor();

    await page.getByRole("link", { name: "Log in" }).first().click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("wrong password here");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Wrong email or password.").waitFor();
    expect(await page.getByLabel("Email").inputValue()).toBe(email);

    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Welcome back.").waitFor();
    expect(await page.locator(".account-email").textContent()).toBe(email);
    await context.close();
  });
});
