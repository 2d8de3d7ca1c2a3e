/**
 * The audit hash chains verify and are reported per chain (foundation issue, point 11; issue 12), and
 * the public API is documented by an OpenAPI document that covers every public route (D14).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../shared/manifest.ts';
import { startApi, uniqueId, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;

interface Report {
  ok: boolean;
  checked: number;
  headSeq: number;
  firstBreak: { kind: string; chain: string; seq: number; message: string } | null;
  chains: { chain: string; ok: boolean; checked: number; headSeq: number; firstBreak: unknown }[];
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin']);
  // A few events of our own, so the trail is not empty whatever ran before.
  for (let i = 0; i < 3; i++) {
    const res = await api.fetchJson('/agencies', { token: admin, json: { id: uniqueId('aud'), name: `审计测试局${i}`, level: 'CITY', region: '某市' } });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => api.stop());

describe('audit chain verification', () => {
  // Tampering is tested in audit-chains.test.ts, on an Audit table of its own: done here, on the
  // shared table, it would break other files' verifications while it lasts.
  it('every chain verifies, reported per chain; only admins may ask', async () => {
    const res = await api.fetchJson<Report>('/audit/verify', { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.ok, JSON.stringify(res.body.firstBreak)).toBe(true);
    expect(res.body.checked).toBeGreaterThanOrEqual(3);
    // Events appended by other files meanwhile belong to the next verification.
    expect(res.body.checked).toBe(res.body.headSeq);
    expect(res.body.chains.length).toBeGreaterThanOrEqual(1);
    for (const c of res.body.chains) {
      expect(c.chain).toMatch(/^s(0\d|1[0-5])$|^main$/);
      expect(c).toMatchObject({ ok: true, checked: c.headSeq, firstBreak: null });
    }
    expect(res.body.chains.reduce((n, c) => n + c.checked, 0)).toBe(res.body.checked);
    expect((await api.fetchJson('/audit/verify', { token: await api.token(['leader']) })).status).toBe(403);
  });
});

describe('public OpenAPI document', () => {
  it('is OpenAPI 3.1 and covers every public route with its parameters', async () => {
    const res = await api.fetchJson<{ openapi: string; paths: Record<string, Record<string, { parameters: { name: string; in: string; schema: Record<string, unknown> }[] }>> }>(
      '/public/openapi.json',
    );
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const publicRoutes = routes.filter((r) => r.auth === 'none');
    for (const r of publicRoutes) expect(res.body.paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    // Nothing internal is documented in the public document.
    expect(Object.keys(res.body.paths).every((p) => p.startsWith('/public/'))).toBe(true);

    const officers = res.body.paths['/public/officers']?.get;
    const limit = officers?.parameters.find((p) => p.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', schema: { maximum: 100, minimum: 1, default: 20 } });
    const verify = res.body.paths['/public/officers/verify/{certificateNo}']?.get;
    expect(verify?.parameters).toEqual([expect.objectContaining({ name: 'certificateNo', in: 'path' })]);
    // The documented officer shape carries no personal data.
    expect(res.text).not.toMatch(/idNumber|phone/);
  });
});
