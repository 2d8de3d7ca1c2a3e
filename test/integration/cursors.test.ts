/**
 * Cursors cannot be forged (issue 10 point 5). Before, the tag was an unkeyed SHA-256: a forged cursor
 * with empty key values reached DynamoDB and answered 500 on every paged route. Now cursors are signed
 * with the local stand-in of the Secrets Manager secret (a file the global setup created, as
 * `npm start` does in the data dir), and anything forged, foreign or empty answers 400 INVALID_CURSOR.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/audit.ts';
import { cursorCodec, queryFingerprint } from '../../shared/domain/cursor.ts';
import { LOCAL_CURSOR_SECRET_FILE_ENV } from '../../shared/aws/cursor-secret.ts';
import * as auditStore from '../../shared/store/audit.ts';
import * as casesStore from '../../shared/store/cases.ts';
import * as catalogStore from '../../shared/store/catalog.ts';
import * as disclosuresStore from '../../shared/store/disclosures.ts';
import * as evidenceStore from '../../shared/store/evidence.ts';
import * as registryStore from '../../shared/store/registry.ts';
import * as reviewsStore from '../../shared/store/reviews.ts';
import { startApi, uniqueId, type TestApi } from './helpers.ts';

interface Err {
  error: { code: string; message: string; details?: { path?: string; message: string }[] };
}
interface Page {
  items: { id: string }[];
  nextCursor: string | null;
}

let api: TestApi;
let admin: string;
let agencyId: string;

/** The attack observed: the old format, its unkeyed tag, a key with empty values, the right fingerprint. */
function unkeyedForgery(fingerprint: string, key: Record<string, string>): string {
  const body = canonicalJson({ f: fingerprint, k: key });
  const tag = createHash('sha256').update(`cursor:v1:${body}`).digest('base64url').slice(0, 16);
  return Buffer.from(`${body}.${tag}`, 'utf8').toString('base64url');
}

/** The same key and fingerprint, HMAC-signed in the new format, but with a secret that is not the server's. */
const wrongSecretForgery = (fingerprint: string, key: Record<string, string>): string =>
  cursorCodec(randomBytes(32)).encode(key, fingerprint);

const emptyKey = { pk: '', sk: '', gsi1pk: 'AGENCIES', gsi1sk: '' };
const agenciesFingerprint = queryFingerprint({ t: 'Officers', i: 'gsi1', p: 'AGENCIES' });
const FORGERIES = [
  ['old unkeyed tag, empty key values', unkeyedForgery(agenciesFingerprint, emptyKey)],
  ['HMAC under another secret, empty key values', wrongSecretForgery(agenciesFingerprint, emptyKey)],
  ['HMAC under another secret, plausible key', wrongSecretForgery(agenciesFingerprint, { pk: 'AGENCY#sq-city', sk: 'PROFILE', gsi1pk: 'AGENCIES', gsi1sk: 'sq-city' })],
] as const;

function expectInvalidCursor(res: { status: number; body: Err; text: string }): void {
  expect(res.status, res.text).toBe(400);
  expect(res.body.error.code).toBe('INVALID_CURSOR');
  expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
}

beforeAll(async () => {
  api = await startApi();
  agencyId = uniqueId('cur');
  admin = await api.token(['admin'], { name: '管理员', agencyId });
  for (const id of [agencyId, uniqueId('cur')]) {
    const res = await api.fetchJson('/agencies', { token: admin, json: { id, name: `游标测试市场监督管理局${id}`, level: 'CITY', region: '测试市' } });
    expect(res.status, res.text).toBe(201);
  }
});
afterAll(async () => api.stop());

describe('forged cursors answer 400 INVALID_CURSOR on the paged routes, never 500', () => {
  const routes = [
    // Public (anonymous)
    ['public', '/public/agencies?limit=1'],
    ['public', '/public/officers?limit=1'],
    ['public', () => `/public/officers?limit=1&agencyId=${agencyId}`],
    ['public', '/public/powers?limit=1'],
    ['public', '/public/inspection-items?limit=1'],
    ['public', '/public/decisions?limit=1'],
    // Staff
    ['staff', '/agencies?limit=1'],
    ['staff', () => `/officers?limit=1&agencyId=${agencyId}`],
    ['staff', () => `/devices?limit=1&agencyId=${agencyId}`],
    ['staff', '/powers?limit=1'],
    ['staff', '/inspection-items?limit=1'],
    ['staff', () => `/cases?limit=1&agencyId=${agencyId}`],
    ['staff', '/reviews?limit=1&assignee=o-nobody'],
    ['staff', () => `/audit/events?limit=1&entityType=Agency&entityId=${agencyId}`],
  ] as const;

  it.each(routes)('%s %s', async (kind, path) => {
    const url = typeof path === 'function' ? path() : path;
    for (const [label, forged] of FORGERIES) {
      const res = await api.fetchJson<Err>(`${url}&cursor=${forged}`, kind === 'staff' ? { token: admin } : {});

      expect.soft(res.status, `${label}: ${res.text}`).toBe(400);
      expectInvalidCursor(res);
    }
  });
});

describe('genuine cursors', () => {
  it('page on under the local secret, and only for the query that issued them', async () => {
    const first = await api.fetchJson<Page>('/public/agencies?limit=1');
    expect(first.status, first.text).toBe(200);
    const cursor = first.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));

    const second = await api.fetchJson<Page>(`/public/agencies?limit=1&cursor=${cursor}`);
    expect(second.status, second.text).toBe(200);
    expect(second.body.items[0]?.id).not.toBe(first.body.items[0]?.id);

    // Issued for the agencies, offered to the officers (public and staff) and to another agency's officers.
    expectInvalidCursor(await api.fetchJson<Err>(`/public/officers?limit=1&cursor=${cursor}`));
    expectInvalidCursor(await api.fetchJson<Err>(`/officers?limit=1&agencyId=${agencyId}&cursor=${cursor}`, { token: admin }));
  });

  it('even one signed with the server secret is refused when a key value is empty (it would reach DynamoDB as a 500)', async () => {
    const file = process.env[LOCAL_CURSOR_SECRET_FILE_ENV];
    expect(file, 'the global setup provides the local cursor secret').toEqual(expect.any(String));
    const serverCodec = cursorCodec(readFileSync(file as string, 'utf8').trim());
    const genuine = serverCodec.encode({ pk: 'AGENCY#x', sk: 'PROFILE', gsi1pk: 'AGENCIES', gsi1sk: 'x' }, agenciesFingerprint);
    const emptyValues = serverCodec.encode(emptyKey, agenciesFingerprint);

    expect((await api.fetchJson(`/public/agencies?limit=1&cursor=${genuine}`)).status).toBe(200);
    expectInvalidCursor(await api.fetchJson<Err>(`/public/agencies?limit=1&cursor=${emptyValues}`));
  });
});

describe('every store function that pages refuses a forged cursor before reaching DynamoDB', () => {
  const page = { limit: 1, cursor: FORGERIES[0][1] };
  const calls = [
    ['listAgencies', () => registryStore.listAgencies(page)],
    ['listOfficers', () => registryStore.listOfficers({ agencyId: 'sq-city' }, page, true)],
    ['listDevices', () => registryStore.listDevices('sq-city', page)],
    ['listInForce', () => catalogStore.listInForce('POWER', { asOf: '2026-01-01' }, page)],
    ['disclosures.search', () => disclosuresStore.search({}, page)],
    ['listCases', () => casesStore.listCases('sq-city', page)],
    ['listCaseEvidence', () => evidenceStore.listCaseEvidence('c-1', page)],
    ['reviewsOfReviewer', () => reviewsStore.reviewsOfReviewer('o-1', undefined, page)],
    ['eventsOfEntity', () => auditStore.eventsOfEntity('Agency', 'sq-city', page)],
  ] as const;

  it.each(calls)('%s', async (_name, call) => {
    await expect(call()).rejects.toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
  });
});
