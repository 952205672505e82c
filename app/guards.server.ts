// The checks every request passes before Remix sees it (Express middleware, app/server.ts):
// security headers with a per-request CSP nonce, a body size limit enforced before anything is read,
// and same-origin checks on state-changing requests on top of SameSite cookies.
import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { env } from "~/env.server";

export const MAX_BODY_BYTES = 1024 * 1024;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Called by servers, not browsers: authenticated by their signatures instead. */
const MACHINE_PATHS = new Set(["/webhooks/stripe"]);

/** Sets the security headers; `res.locals.nonce` is the nonce the page's inline scripts carry. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  const nonce = randomBytes(16).toString("base64");
  res.locals.nonce = nonce;
  const development = env().NODE_ENV === "development";
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      // React sets style attributes (the progress bar's width); no inline <style> or script comes from users.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      `connect-src 'self'${development ? " ws://localhost:* ws://127.0.0.1:*" : ""}`,
      // Buying credits posts to /billing, which redirects to Stripe Checkout.
      "form-action 'self' https://checkout.stripe.com",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join("; "),
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (env().NODE_ENV === "production") res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
}

/** Refuses a body over MAX_BODY_BYTES from its Content-Length, before reading it; a body of unknown length gets 411. */
export function bodyLimit(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method)) return next();
  const length = req.headers["content-length"];
  if (length === undefined && req.headers["transfer-encoding"]) {
    return refuse(res, 411, "Send the request with a Content-Length header.");
  }
  if (Number(length) > MAX_BODY_BYTES) {
    return refuse(res, 413, `The request is too large: at most ${MAX_BODY_BYTES / 1024 / 1024} MB. An essay may have at most 5,000 words.`);
  }
  next();
}

/**
 * Refuses a state-changing request that a browser says came from another site. Browsers send Origin on
 * every cross-site POST; a request without one comes from a script or an old client, which SameSite=Lax
 * cookies already keep from acting as a signed-in user.
 */
export function sameOrigin(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method) || MACHINE_PATHS.has(req.path)) return next();
  const origin = req.get("origin");
  if (origin === undefined) return next();
  const allowed = new Set([`${req.protocol}://${req.get("host")}`]);
  const configured = env().APP_URL;
  if (configured) allowed.add(new URL(configured).origin);
  if (allowed.has(origin)) return next();
  return refuse(res, 403, "This form was sent from another site, so it was refused. Go back to MarkM8 and try again.");
}

function refuse(res: Response, status: number, message: string) {
  // The body is never read; close the connection instead of draining it.
  res.setHeader("Connection", "close");
  res.status(status).type("text/plain").send(message);
}
