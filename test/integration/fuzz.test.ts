/**
 * Every route under hostile input (issue 10, "Bad input"): fast-check builds requests from each
 * route's own zod schemas (through their JSON Schema), mixing plausible values with the inputs that
 * once reached a 500 — numbers outside DynamoDB's range, control and bidi characters, lone
 * surrogates, invisible-only names, impossible dates, forged cursors, unknown parameters, wrong
 * types. Whatever comes in: never a 5xx, errors always `{"error":{code,message,details?}}`, and a
 * refused request writes nothing (every DynamoDB write of this process is watched).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as z from 'zod';
import { documentClient } from '../../shared/aws/clients.ts';
import { functions, routes as manifestRoutes } from '../../shared/manifest.ts';
import type { RouteSpec } from '../../shared/manifest.ts';
import { bodySchemaOf } from '../../shared/http/router.ts';
import type { Route } from '../../shared/http/router.ts';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { createPower, startApi, uniqueId, type TestApi } from './helpers.ts';

/** Cases per route: enough to hit each hostile value several times, bounded so `npm test` stays fast. */
const RUNS_PER_ROUTE = 40;

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  example?: unknown;
  examples?: unknown[];
};

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '名称\u0007',
  '\u202E危险文本',
  '\u2066隔离\u2069',
  '\u200B\u200B\u200B',
  '\uFEFF',
  '\uD800',
  'x\uDC00y',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-02-30',
  '1e21',
  'NaN',
  '-0',
  '<script>alert(1)</script>',
  "'; DROP TABLE cases;--",
  '../../etc/passwd',
  '{"$ne":null}',
  '宿'.repeat(3000),
  'a'.repeat(70_000),
];
const HOSTILE_NUMBERS = [1e21, 1e-300, 5e-324, -5e-324, 1e308, -1e308, 2 ** 53 + 2, -1, 0, 0.1 + 0.2, 123456789.123456789, 1e126, 1e-131];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 20 }));
const hostileNumber = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
const anyJson = fc.jsonValue({ maxDepth: 2 });
const hostile = fc.oneof(hostileString, hostileNumber, anyJson);

const plausibleString = (s: JsonSchema): fc.Arbitrary<string> => {
  if (s.format === 'date-time') return fc.constantFrom('2026-03-02T10:00:00+08:00', '2026-11-30T23:59:59Z', '1999-12-31T00:00:00Z');
  if (s.format === 'date' || s.pattern?.includes('\\d{4}-')) return fc.constantFrom('2026-03-02', '2026-12-31', '2027-01-04');
  if (s.format === 'uuid') return fc.uuid();
  const examples = [s.example, ...(s.examples ?? [])].filter((x): x is string => typeof x === 'string');
  return fc.oneof(fc.constantFrom('测试文本', '宿迁市宿城区示例路9号', 'ABC-001', ...examples), fc.string({ minLength: 1, maxLength: 12 }));
};

/** Mostly well-formed values (to get past the first check), often hostile ones. */
function arbitraryOf(s: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 4) return anyJson;
  const variants = s.anyOf ?? s.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => arbitraryOf(v, depth + 1)));
  if (s.allOf?.length) return arbitraryOf(s.allOf[0], depth + 1);
  if (s.const !== undefined) return fc.oneof({ weight: 4, arbitrary: fc.constant(s.const) }, { weight: 1, arbitrary: hostile });
  if (s.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: hostile });
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return fc.oneof({ weight: 3, arbitrary: plausibleString(s) }, { weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: hostileNumber });
    case 'number':
    case 'integer': {
      const lo = s.minimum ?? 0;
      const hi = Math.min(s.maximum ?? lo + 1000, lo + 1000);
      return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: Math.ceil(lo), max: Math.max(Math.ceil(lo), Math.floor(hi)) }) }, { weight: 2, arbitrary: hostileNumber }, { weight: 1, arbitrary: hostileString });
    }
    case 'boolean':
      return fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: hostile });
    case 'array':
      return fc.oneof({ weight: 3, arbitrary: fc.array(arbitraryOf(s.items, depth + 1), { maxLength: 3 }) }, { weight: 1, arbitrary: hostile });
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      const record = fc.record(Object.fromEntries(props.map(([k, v]) => [k, arbitraryOf(v, depth + 1)])), { requiredKeys: (s.required ?? []).filter((k) => s.properties?.[k]) });
      const withExtra = fc.tuple(record, fc.option(fc.tuple(fc.constantFrom('__proto__x', 'extra', 'isAdmin', 'agencyId2'), anyJson), { freq: 4 })).map(([r, extra]) =>
        extra ? { ...r, [extra[0]]: extra[1] } : r,
      );
      return fc.oneof({ weight: 5, arbitrary: withExtra }, { weight: 1, arbitrary: hostile });
    }
    default:
      return anyJson;
  }
}

const jsonSchemaOf = (schema: z.ZodType | undefined): JsonSchema | undefined => {
  if (!schema) return undefined;
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined;
  }
};

/** Percent-encodes UTF-8 bytes; a lone surrogate goes as the invalid bytes a careless client would send. */
const encodePathValue = (value: string): string => {
  if (value === '') return 'x';
  return [...value]
    .map((ch) => {
      const cp = ch.codePointAt(0)!;
      if (cp >= 0xd800 && cp <= 0xdfff) return `%${(0xe0 | (cp >> 12)).toString(16)}%${(0x80 | ((cp >> 6) & 0x3f)).toString(16)}%${(0x80 | (cp & 0x3f)).toString(16)}`.toUpperCase();
      return encodeURIComponent(ch);
    })
    .join('');
};

// ---------------------------------------------------------------- every DynamoDB write, watched

const WRITES = new Set<string>(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);
const written: string[] = [];

let api: TestApi;
let tokens: Record<'admin' | 'officer' | 'leader' | 'reviewer' | 'device' | 'outsider', string>;
const known: Record<string, string[]> = {};

beforeAll(async () => {
  documentClient().intercept('fuzzWriteWatch', async ({ operation }, next) => {
    if (WRITES.has(operation)) written.push(operation);
    return next();
  });
  api = await startApi();
  const admin = await api.token(['admin']);
  const agencyId = uniqueId('fuzz');
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `模糊测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  const officers: string[] = [];
  for (let i = 0; i < 2; i++) {
    const o = await api.fetchJson<{ id: string }>('/officers', {
      token: admin,
      json: { name: '模糊测试员', agencyId, certificateNo: `4${String(Date.now()).slice(-7)}${String(i).padStart(3, '0')}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31' },
    });
    officers.push(o.body.id);
  }
  const powerCode = uniqueId('FZ').toUpperCase();
  await createPower(api, admin, powerCode, agencyId);
  const c = await api.fetchJson<{ id: string }>('/cases', {
    token: admin,
    json: {
      agencyId,
      enforcementType: 'PENALTY',
      powerCode,
      party: { kind: 'ORG', name: '宿迁市模糊测试有限公司', creditCode: '91321302MA1XXXXX0' + creditCodeCheckChar('91321302MA1XXXXX0'), address: '宿迁市' },
      handlingOfficerIds: officers,
      filingDate: '2026-03-02',
      summary: '模糊测试案件',
    },
  });
  expect(c.status, c.text).toBe(201);
  const device = await api.fetchJson<{ id: string; clientId: string; credentials?: { clientId: string } }>('/devices', {
    token: admin,
    json: { serial: uniqueId('FZ').toUpperCase(), model: '执法记录仪', kind: 'BODY_CAMERA', agencyId },
  });
  expect(device.status, device.text).toBe(201);
  const clientId = device.body.credentials?.clientId ?? device.body.clientId;
  known.id = [c.body.id, officers[0]!, device.body.id, agencyId];
  known.code = [powerCode];
  known.certificateNo = ['32130001001'];
  known.year = ['2025', '2026'];
  tokens = {
    admin,
    officer: await api.token(['officer'], { agencyId }),
    leader: await api.token(['leader'], { agencyId }),
    reviewer: await api.token(['reviewer'], { agencyId, officerId: officers[0]! }),
    outsider: await api.token(['officer', 'leader'], { agencyId: uniqueId('elsewhere') }),
    device: await api.system.tokens.issueAccess(clientId, ['evidence/upload']),
  };
});
afterAll(async () => api?.stop());

const ERROR_SHAPE = z.strictObject({
  error: z.strictObject({
    code: z.string().regex(/^[A-Z][A-Z0-9_]+$/),
    message: z.string().min(1),
    details: z.array(z.looseObject({ message: z.string() })).optional(),
  }),
});

/** The route table of every API function, with the manifest's view of each route. */
async function apiRoutes(): Promise<{ spec: RouteSpec; route: Route }[]> {
  const out: { spec: RouteSpec; route: Route }[] = [];
  for (const fn of functions.filter((f) => (f.invokedBy ?? 'api') === 'api')) {
    const mod = (await import(/* @vite-ignore */ new URL(`../../${fn.entry}`, import.meta.url).href)) as { handler: { routes: readonly Route[] } };
    for (const route of mod.handler.routes) {
      const spec = manifestRoutes.find((r) => r.method === route.method && r.path === route.path);
      if (spec) out.push({ spec, route });
    }
  }
  return out;
}

const routeList = await apiRoutes();

describe('every route under hostile input', () => {
  it('covers every route of the manifest', () => {
    const served = new Set(routeList.map((r) => `${r.spec.method} ${r.spec.path}`));
    expect(manifestRoutes.filter((r) => r.fn !== 'public' || r.path !== '/public/openapi.json').map((r) => `${r.method} ${r.path}`).filter((k) => !served.has(k))).toEqual([]);
  });

  it.each(routeList.map((r) => [`${r.spec.method} ${r.spec.path}`, r] as const))('%s: no 5xx, the error shape, nothing written when refused', async (_name, { spec, route }) => {
    const params = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const pathArb = fc.record(
      Object.fromEntries(params.map((p) => [p, fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(known[p] ?? known.id!)) }, { weight: 2, arbitrary: fc.uuid() }, { weight: 2, arbitrary: hostileString })])),
    );
    const querySchema = jsonSchemaOf(route.query as z.ZodType | undefined);
    const queryArb = fc.tuple(
      fc.record(Object.fromEntries(Object.entries(querySchema?.properties ?? {}).map(([k, v]) => [k, arbitraryOf(v).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))])), { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom('debug', 'cursor', 'admin', 'limit'), hostileString), { freq: 3 }),
    );
    const bodySchema = await bodySchemaOf(route);
    const bodyArb = bodySchema === 'raw' ? fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) : arbitraryOf(jsonSchemaOf(bodySchema) ?? { type: 'object' });
    const who = spec.auth === 'device' ? fc.constant<keyof typeof tokens>('device') : fc.constantFrom<keyof typeof tokens>('admin', 'admin', 'officer', 'leader', 'reviewer', 'outsider');

    await fc.assert(
      fc.asyncProperty(pathArb, queryArb, bodyArb, who, async (pathValues, [query, extra], body, identity) => {
        let path = spec.path;
        for (const p of params) path = path.replace(`{${p}}`, encodePathValue(String(pathValues[p] ?? '')));
        const search = new URLSearchParams();
        for (const [k, v] of Object.entries(query)) if (v !== undefined) search.set(k, String(v));
        if (extra) search.set(extra[0], extra[1]);
        const qs = search.toString();
        const sendsBody = spec.method !== 'GET' && spec.method !== 'DELETE';
        written.length = 0;
        const res = await api.fetchJson(`${path}${qs ? `?${qs}` : ''}`, {
          method: spec.method,
          ...(spec.auth === 'none' ? {} : { token: tokens[identity] }),
          ...(sendsBody ? (Buffer.isBuffer(body) ? { body, headers: { 'content-type': 'text/csv' } } : { json: body }) : {}),
        });
        expect(res.status, `${spec.method} ${path}?${qs} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(ERROR_SHAPE.safeParse(res.body).success, `${res.status} ${res.text.slice(0, 300)}`).toBe(true);
          expect(written, `${spec.method} ${path} answered ${res.status} but wrote`).toEqual([]);
        }
      }),
      { numRuns: RUNS_PER_ROUTE, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
  });
});
