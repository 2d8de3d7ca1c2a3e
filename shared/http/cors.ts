/**
 * Cross-origin access for the staff console (issue 16, point 7): the console is served from the portal's
 * origin and calls the API with the signed-in user's token, so the API allows exactly that one origin
 * (`PORTAL_URL`'s) and no other. One source for the handlers' answers, the local server (preflight and
 * its own answers) and API Gateway (preflight and gateway responses, infra/stacks/api-stack.ts).
 * A request from any other origin gets no CORS header at all: the browser then refuses to hand the
 * answer to that page.
 */

/** Methods the API serves. */
export const CORS_ALLOW_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Request headers the console sends beyond the safelisted ones. */
export const CORS_ALLOW_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key'] as const;
/** Response headers the console may read beyond the safelisted ones. */
export const CORS_EXPOSE_HEADERS = ['Location', 'Retry-After', 'Content-Disposition', 'Idempotent-Replayed', 'X-Content-Sha256', 'X-Case-File-Pages', 'X-Case-Closed'] as const;
/** How long a browser may keep a preflight's answer (seconds). */
export const CORS_MAX_AGE_SECONDS = 600;

/** The origin (`scheme://host[:port]`) of the portal URL. */
export const originOf = (url: string): string => new URL(url).origin;

/** A header's value whatever the case of its name (API Gateway passes names as the client sent them). */
export function headerValue(headers: Readonly<Record<string, string | undefined>> | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** The headers an answer to a request from `origin` carries: CORS ones only for the allowed origin. */
export function corsHeaders(origin: string | undefined, allowedOrigin: string): Record<string, string> {
  const vary = { Vary: 'Origin' };
  if (origin === undefined || origin !== allowedOrigin) return vary;
  return { ...vary, 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS.join(', ') };
}

/** A preflight's answer headers (204), or undefined for an origin that is not allowed. */
export function preflightHeaders(origin: string | undefined, allowedOrigin: string): Record<string, string> | undefined {
  if (origin === undefined || origin !== allowedOrigin) return undefined;
  return {
    ...corsHeaders(origin, allowedOrigin),
    'Access-Control-Allow-Methods': CORS_ALLOW_METHODS.join(', '),
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS.join(', '),
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
  };
}
