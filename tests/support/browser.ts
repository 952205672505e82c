// A real browser for tests: Debian's chromium driven by playwright-core, as root, on a closed network.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { PASSWORD } from "./http";
import { startWeb, startWorker, type ChildEnv, type LaunchOptions, type Running } from "./processes";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The browser binary, or undefined when this machine has none (CI installs Debian's chromium). */
export const chromiumPath = candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate));

if (!chromiumPath && process.env.CI) {
  throw new Error("No chromium found: CI must install it (apt-get install chromium) or set CHROMIUM_PATH");
}
if (!chromiumPath) {
  console.warn("Browser tests skipped: no chromium found. Install it (apt-get install chromium) or set CHROMIUM_PATH.");
}

/** A headless chromium with a fresh profile (playwright makes one per launch). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

type ProcessSetup = { env?: ChildEnv; options?: string[] | LaunchOptions };

/**
 * A browser test file's processes: a web process, a worker when asked for, and a browser, started
 * before its tests (unless this machine has no chromium) and stopped after them.
 */
export function browserSuite(setup: { web?: ProcessSetup; worker?: ProcessSetup } = {}) {
  const app = {} as { web: Running; worker?: Omit<Running, "url">; browser: Browser };
  beforeAll(async () => {
    if (!chromiumPath) return;
    app.web = await startWeb(setup.web?.env, setup.web?.options);
    if (setup.worker) app.worker = await startWorker(setup.worker.env, setup.worker.options);
    app.browser = await launchBrowser();
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.worker?.stop();
    await app.web?.stop();
  });
  return app;
}

/** Signs up through the form and waits for the page a new student lands on. */
export async function signUp(page: Page, email: string, password = PASSWORD) {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL("**/essays/new");
}
