// A real browser for tests: Debian's chromium driven by playwright-core, as root, on a closed network.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

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
