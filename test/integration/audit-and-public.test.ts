/**
 * The audit hash chain names the first broken or missing link (foundation issue, point 11), and
 * the public API is documented by an OpenAPI document that covers every public route (D14).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { routes } from '../../shared/manifest.ts';
import { startApi, uniqueId, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;

interface Report {
  ok: boolean;
  checked: number;
  headSeq: number;
  firstBreak: { kind: string; seq: number; message: string } | null;
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin']);
  // A few events of our own, so the chain is not empty whatever ran before.
  for (let i = 0; i < 3; i++) {
    const res = await api.fetchJson('/agencies', { token: admin, json: { id: uniqueId('aud'), name: `审计测试局${i}`, level: 'CITY', region: '某市' } });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => api.stop());

describe('audit chain verification', () => {
  const key = (seq: number) => ({ pk: 'CHAIN#main', sk: `SEQ#${String(seq).padStart(12, '0')}` });
  const ddb = () => documentClient();

  it('an intact chain verifies; only admins may ask', async () => {
    const res = await api.fetchJson<Report>('/audit/verify', { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.checked).toBeGreaterThanOrEqual(3);
    expect(res.body.checked).toBe(res.body.headSeq);
    expect((await api.fetchJson('/audit/verify', { token: await api.token(['leader']) })).status).toBe(403);
  });

  it('an altered event is named as the first broken link, and a removed one as missing', async () => {
    const seq = 2;
    const original = (await ddb().send(new GetCommand({ TableName: tableName('Audit'), Key: key(seq), ConsistentRead: true }))).Item;
    expect(original).toBeDefined();
    try {
      await ddb().send(new PutCommand({ TableName: tableName('Audit'), Item: { ...original, action: 'agency.delete' } }));
      const altered = await api.fetchJson<Report>('/audit/verify', { token: admin });
      expect(altered.body.ok).toBe(false);
      expect(altered.body.firstBreak).toMatchObject({ kind: 'HASH_MISMATCH', seq });
      expect(altered.body.firstBreak?.message).toContain(`第 ${seq} 号`);

      await ddb().send(new DeleteCommand({ TableName: tableName('Audit'), Key: key(seq) }));
      const removed = await api.fetchJson<Report>('/audit/verify', { token: admin });
      expect(removed.body.firstBreak).toMatchObject({ kind: 'MISSING', seq });
    } finally {
      await ddb().send(new PutCommand({ TableName: tableName('Audit'), Item: original }));
    }
    expect((await api.fetchJson<Report>('/audit/verify', { token: admin })).body.ok).toBe(true);
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
