/**
 * The console's response headers (issue 16, point 7): the portal's security headers
 * (shared/portal-headers.ts), with a Content-Security-Policy that lets the console's own scripts run
 * and call the API's origin, and nothing else. Data only (no esbuild), so that the CDK app can read it.
 */
import { SECURITY_HEADERS } from '../shared/portal-headers.ts';

/** `script-src 'self'` only: no inline script, no eval; the shell passes its configuration in meta tags. */
export function consoleSecurityHeaders(apiUrl: string): Record<string, string> {
  const api = new URL(apiUrl).origin;
  return {
    ...SECURITY_HEADERS,
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${api}`,
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}

/** The shell (index.html) is checked every time: it names the current hashed assets. */
export const SHELL_CACHE = 'no-cache';
/** Hashed assets: a year, as the portal's (functions/portal/assets.ts). */
export const CONSOLE_ASSET_CACHE = 'public, max-age=31536000, immutable';
