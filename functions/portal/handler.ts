/**
 * Lambda entry of the public portal: a CloudFront request through the function URL (origin access
 * control) in, an HTML page out. The same renderer as the local portal server; data only from the
 * public API (PUBLIC_API_URL), so the function holds no permission on any table, bucket or key.
 */
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { publicApi } from './api.ts';
import type { Site } from './layout.ts';
import { internalErrorPage } from './layout.ts';
import { renderPortal } from './router.ts';

/** Set by the CDK construct: the API stage URL, and the content-hashed stylesheet path in the assets bucket. */
export const PORTAL_ENV = { apiUrl: 'PUBLIC_API_URL', stylesheet: 'PORTAL_STYLESHEET', bureauName: 'BUREAU_NAME' } as const;

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

// Read once at cold start: a missing variable fails start-up, naming it.
const site: Site = {
  apiUrl: required(PORTAL_ENV.apiUrl),
  stylesheet: required(PORTAL_ENV.stylesheet),
  bureauName: process.env[PORTAL_ENV.bureauName]?.trim() || '市场监督管理局',
};
const api = publicApi(site.apiUrl);

export async function handler(event: LambdaFunctionURLEvent): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    const page = await renderPortal(site, api, { method: event.requestContext.http.method, path: event.rawPath, query: event.rawQueryString });
    return { statusCode: page.status, headers: { ...page.headers }, body: page.body };
  } catch (e) {
    // The error's name only: the request may carry personal data.
    console.error(JSON.stringify({ level: 'ERROR', message: 'portal page failed', error: e instanceof Error ? e.name : 'error' }));
    const page = internalErrorPage(site);
    return { statusCode: page.status, headers: { ...page.headers }, body: page.body };
  }
}
