/**
 * The local portal server (local/portal-server.ts) in front of the real local API: headers, compression
 * as CloudFront does it, content-hashed assets, and a page (never a blank or a stack) when the API is down.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortalServer } from '../../local/portal-server.ts';
import { listen } from '../../local/runtime.ts';
import { startApi, type TestApi } from './helpers.ts';

let api: TestApi;
let portal: Server;
let portalUrl: string;
const logs: string[] = [];

beforeAll(async () => {
  api = await startApi();
  portal = createPortalServer({ apiUrl: api.url, bureauName: '宿迁市市场监督管理局', log: (line) => logs.push(line) });
  portalUrl = `http://127.0.0.1:${await listen(portal, 0, '127.0.0.1')}`;
});

afterAll(async () => {
  await new Promise<void>((done) => portal.close(() => done()));
  await api.stop();
});

/** fetch without automatic decompression, to see what the server sent. */
async function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(`${portalUrl}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the local portal', () => {
  it('serves the home page from the API’s data with the security headers, brotli- or gzip-compressed on request', async () => {
    const plain = await raw('/');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(plain.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(plain.headers.get('strict-transport-security')).toContain('max-age=31536000');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const text = plain.body.toString('utf8');
    expect(text).toContain('<html lang="zh-CN">');

    const br = await raw('/', { 'accept-encoding': 'gzip, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('accept-encoding');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(text);
    expect(br.body.length).toBeLessThan(plain.body.length);
    const gz = await raw('/', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(text);
  });

  it('serves the stylesheet under its content hash for a year, and nothing under another name', async () => {
    const home = (await raw('/')).body.toString('utf8');
    const css = /href="(\/assets\/portal-[0-9a-f]{10}\.css)"/.exec(home)?.[1];
    expect(css).toBeDefined();
    const asset = await raw(css ?? '');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const stale = await raw('/assets/portal-0000000000.css');
    expect(stale.status).toBe(404);
    expect(stale.body.toString('utf8')).toContain('页面不存在');
  });

  it('answers HEAD like GET without a body, and refuses other methods with 405', async () => {
    const head = await raw('/about', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const post = await raw('/decisions', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('passes the API’s refusal of a forged cursor on as a 400 page that keeps the search form', async () => {
    const forged = await raw('/decisions?party=%E5%AE%BF%E8%BF%81&cursor=forged');
    expect(forged.status).toBe(400);
    const text = forged.body.toString('utf8');
    expect(text).toContain('value="宿迁"');
    expect(text).not.toMatch(/at \S+ \(|Error:/);
  });

  it('shows a 503 page, not a stack, when the API does not answer', async () => {
    const dead: Server = createServer((_req, res) => res.destroy());
    await new Promise<void>((done) => dead.listen(0, '127.0.0.1', () => done()));
    const lonely = createPortalServer({ apiUrl: `http://127.0.0.1:${(dead.address() as AddressInfo).port}`, bureauName: '测试局', log: () => undefined });
    const port = await listen(lonely, 0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${port}/decisions`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('数据服务暂时不可用');
    } finally {
      await new Promise<void>((done) => lonely.close(() => done()));
      await new Promise<void>((done) => dead.close(() => done()));
    }
  });
});
