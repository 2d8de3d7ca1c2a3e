/**
 * The portal's Lambda entry: a function-URL event (as CloudFront forwards it) becomes the page the
 * local portal would render, read from the public API.
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const event = (rawPath: string, rawQueryString = '', method = 'GET'): LambdaFunctionURLEvent =>
  ({ version: '2.0', routeKey: '$default', rawPath, rawQueryString, headers: {}, isBase64Encoded: false, requestContext: { http: { method, path: rawPath } } }) as unknown as LambdaFunctionURLEvent;

const calls: string[] = [];
beforeAll(() => {
  vi.stubEnv('PUBLIC_API_URL', 'https://api.example.cn/prod');
  vi.stubEnv('PORTAL_STYLESHEET', '/assets/portal-0123456789.css');
  vi.stubEnv('BUREAU_NAME', '宿迁市市场监督管理局');
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(url);
    if (url.includes('/public/officers/verify/32132301007')) {
      return new Response(JSON.stringify({ certificateNo: '32132301007', status: 'SUSPENDED', name: '严子墨', agencyName: '泗阳县市场监督管理局', categories: ['价格监督检查'], region: '泗阳县', validUntil: '2029-09-30' }), { status: 200 });
    }
    return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: '未找到' } }), { status: 404 });
  });
});
afterAll(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('portal handler', () => {
  it('renders the page for the path and query, from the API named by PUBLIC_API_URL, with the hashed stylesheet', async () => {
    const { handler } = await import('../../functions/portal/handler.ts');
    const result = await handler(event('/verify/32132301007'));
    expect(result.statusCode).toBe(200);
    expect(calls).toContain('https://api.example.cn/prod/public/officers/verify/32132301007');
    expect(result.body).toContain('<span class="big">暂扣</span>');
    expect(result.body).toContain('href="/assets/portal-0123456789.css"');
    expect(result.headers?.['content-security-policy']).toContain("default-src 'none'");
  });

  it('passes the query string and method through: a bad filter is a 400 page, a POST a 405', async () => {
    const { handler } = await import('../../functions/portal/handler.ts');
    expect((await handler(event('/decisions', 'foo=1'))).statusCode).toBe(400);
    expect((await handler(event('/decisions', '', 'POST'))).statusCode).toBe(405);
  });
});
