/**
 * The console's response headers (issue 16, point 7): the portal's security headers
 * (shared/portal-headers.ts), with a Content-Security-Policy that lets the console's own scripts run
 * and call the API's origin, and nothing else. Data only (no esbuild), so that the CDK app can read it.
 */
import { SECURITY_HEADERS } from '../shared/portal-headers.ts';

/**
 * `scheme://host[:port]` of an absolute URL, or undefined for a path on the console's own origin (`/api`
 * behind the portal's CloudFront, covered by 'self'). A regular expression rather than `new URL`: in the
 * CDK app the host is a deploy-time token (`${Token[…]}`), which URL parsing would reject.
 */
function originOf(url: string): string | undefined {
  if (url.startsWith('/') && !url.startsWith('//')) return undefined;
  const origin = /^https?:\/\/[^/?#]+/i.exec(url)?.[0];
  if (!origin) throw new Error(`Not an http(s) URL or an absolute path: ${url}`);
  return origin;
}

/**
 * `script-src 'self'` only: no inline script, no eval; the shell passes its configuration in meta tags.
 * connect-src: the console's origin, the API's (when it is elsewhere) and, with Cognito sign-in, the user
 * pool domain, whose token endpoint the console calls to exchange the authorization code.
 * img-src and media-src: also the evidence store's origin (`evidenceUrl`), where the evidence viewer's
 * short-lived presigned links point (s3rver locally, the evidence bucket's S3 origin in AWS).
 */
export function consoleSecurityHeaders(apiUrl: string, signInUrl?: string, evidenceUrl?: string): Record<string, string> {
  const evidence = evidenceUrl === undefined ? '' : ` ${originOf(evidenceUrl) ?? ''}`.trimEnd();
  const connect = ["'self'", originOf(apiUrl), signInUrl === undefined ? undefined : originOf(signInUrl)].filter((o): o is string => o !== undefined);
  return {
    ...SECURITY_HEADERS,
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      `img-src 'self' data:${evidence}`,
      `media-src 'self'${evidence}`,
      "font-src 'self'",
      `connect-src ${[...new Set(connect)].join(' ')}`,
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
