/**
 * The security headers of every portal page (issue 14), in one place: the portal's pages send them
 * (functions/portal/layout.ts) and CloudFront's response headers policy sets the same values on every
 * response, assets included (infra/stacks/portal-stack.ts). Data only, no imports, so that the CDK app
 * reads it without loading handler code.
 *
 * Strict policy: only our own stylesheet and scripts, no inline code, no frames, forms to ourselves.
 * SVG charts use presentation attributes, which `style-src` does not govern.
 */
export const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
} as const satisfies Readonly<Record<string, string>>;
