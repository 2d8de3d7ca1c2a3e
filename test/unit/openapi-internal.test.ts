/**
 * The internal API's contract (issue 16, point 6): GET /openapi.json serves a committed document that
 * must equal the one built from the live route tables (a route changed without `npm run openapi` fails
 * here, naming the operation), and so must the console's client types generated from it. The document
 * covers every non-public route of the manifest, passes Redocly's recommended lint, and its schemas
 * check real answers of the registry function, invoked in-process (no network).
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { context } from './support.ts';
import { responseValidator } from './openapi-validator.ts';
import { routes as manifestRoutes } from '../../shared/manifest.ts';
import { permits } from '../../shared/domain/access.ts';
import type { Identity } from '../../shared/domain/identity.ts';
import * as z from '../../shared/domain/z.ts';
import { lazySchema, route } from '../../shared/http/router.ts';
import { buildOpenApi } from '../../functions/public/openapi.ts';
import { handler as publicHandler } from '../../functions/public/handler.ts';
import { CONSOLE_TYPES, INTERNAL_JSON, OTHER_ERRORS, OTHER_SUCCESS, RAW_BODIES, RAW_RESPONSES, apiRoutes, buildConsoleTypes, buildInternalDocument, serialize } from '../../shared/openapi/internal.ts';

const previousLogLevel = vi.hoisted(() => {
  const previous = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'SILENT';
  return previous;
});
afterAll(() => {
  if (previousLogLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = previousLogLevel;
});

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, unknown>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  info: { title: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));

/**
 * What differs between the committed document and the built one, one line per operation or named
 * schema, so a failure says which route to look at (and that `npm run openapi` regenerates it).
 */
function differences(committed: Document, built: Document): string[] {
  const out: string[] = [];
  const a = new Map(operationsOf(committed).map((o) => [o.key, o.op]));
  const b = new Map(operationsOf(built).map((o) => [o.key, o.op]));
  for (const [k, op] of b) {
    if (!a.has(k)) out.push(`${k}: served, missing from the committed document`);
    else if (!isDeepStrictEqual(a.get(k), op)) out.push(`${k}: the route and the committed document disagree`);
  }
  for (const k of a.keys()) if (!b.has(k)) out.push(`${k}: in the committed document, served by no function`);
  const sa = committed.components.schemas;
  const sb = built.components.schemas;
  for (const name of new Set([...Object.keys(sa), ...Object.keys(sb)])) {
    if (!isDeepStrictEqual(sa[name], sb[name])) out.push(`components.schemas.${name}: differs`);
  }
  const { paths: _pa, components: ca, ...restA } = committed as Document & Record<string, unknown>;
  const { paths: _pb, components: cb, ...restB } = built as Document & Record<string, unknown>;
  if (!isDeepStrictEqual(restA, restB) || !isDeepStrictEqual(ca.securitySchemes, cb.securitySchemes)) out.push('info, servers or security schemes differ');
  return out;
}

const committedText = readFileSync(INTERNAL_JSON, 'utf8');
const committed = JSON.parse(committedText) as Document;
let built: Document;
let routeTable: Awaited<ReturnType<typeof apiRoutes>>;
beforeAll(async () => {
  built = (await buildInternalDocument()) as unknown as Document;
  routeTable = await apiRoutes();
});

describe('GET /openapi.json: the committed document is the routes’ own', () => {
  it('equals the document built from the live route tables (else run npm run openapi)', () => {
    expect(differences(committed, built)).toEqual([]);
    expect(committedText).toBe(serialize(built));
  });

  it('names the operation when a route and the document disagree', () => {
    const changed = structuredClone(built);
    changed.paths['/cases']!.get!.summary = '改过的';
    delete changed.paths['/agencies']!.post;
    changed.paths['/nowhere'] = { get: { responses: {} } };
    expect(differences(changed, built)).toEqual([
      'POST /agencies: served, missing from the committed document',
      'GET /cases: the route and the committed document disagree',
      'GET /nowhere: in the committed document, served by no function',
    ]);
  });

  it('console/src/api/schema.d.ts is generated from it (else run npm run openapi)', async () => {
    const types = await buildConsoleTypes(built as unknown as Record<string, unknown>);
    expect(readFileSync(CONSOLE_TYPES, 'utf8') === types, 'console/src/api/schema.d.ts is stale: run npm run openapi').toBe(true);
    expect(types).toMatch(/export interface paths \{/);
    expect(types).toContain('"/cases/{id}/acts": {');
  });

  it('documents every non-public route of the manifest; with the public document, exactly the manifest', () => {
    const documented = operationsOf(committed).map((o) => o.key).sort();
    expect(documented).toEqual(manifestRoutes.filter((r) => r.auth !== 'none').map(key).sort());
    const publicDoc = buildOpenApi(publicHandler.routes) as unknown as Document;
    const both = [...documented, ...operationsOf(publicDoc).map((o) => o.key)].sort();
    expect(both).toEqual(manifestRoutes.map(key).sort());
  });
});

/** Warnings of the recommended ruleset allowed here, each with its reason. */
const ALLOWED_WARNINGS: Readonly<Record<string, string>> = {
  'info-license': 'an internal government system, no licence to state',
  // `/evidence/uploads/{id}` and `/evidence/{id}/legal-hold` both match `/evidence/uploads/legal-hold`;
  // API Gateway matches the literal segment first, and an evidence id is a UUID, never `uploads`.
  'no-ambiguous-paths': 'literal segments win in API Gateway; evidence ids are UUIDs',
};

describe('the internal document', () => {
  it(`passes Redocly's recommended lint with 0 errors (warnings allowed: ${Object.keys(ALLOWED_WARNINGS).join(', ')})`, async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: committedText, absoluteRef: 'openapi.json', config });
    const described = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
    expect(described.filter((p) => p.startsWith('error'))).toEqual([]);
    expect(problems.filter((p) => p.severity !== 'error' && !Object.hasOwn(ALLOWED_WARNINGS, p.ruleId)).map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
  });

  it('points every $ref at components/schemas, where each exists', () => {
    const refs = [...committedText.matchAll(/"\$ref": "([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((r) => !r.startsWith('#/components/schemas/') || !(r.slice('#/components/schemas/'.length) in committed.components.schemas))).toEqual([]);
    expect(committedText).not.toContain('$defs');
  });

  it('has one operationId per operation, each unique', () => {
    const ids = operationsOf(committed).map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z]+[A-Z]\w*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares, for every route: its bearer scheme, its own success status, its body, and its error answers', () => {
    const problems: string[] = [];
    for (const { route: r } of routeTable.filter((x) => x.route.auth !== 'public')) {
      const k = key(r);
      const op = committed.paths[r.path]?.[r.method.toLowerCase()];
      if (!op) {
        problems.push(`${k}: not documented`);
        continue;
      }
      const scheme = r.auth === 'device' ? 'deviceAccessToken' : 'cognitoIdToken';
      if (!isDeepStrictEqual(op.security, [{ [scheme]: [] }])) problems.push(`${k}: security ${JSON.stringify(op.security)}, expected ${scheme}`);
      if (!op.summary) problems.push(`${k}: no summary`);
      const statuses = Object.keys(op.responses);
      if (!statuses.includes(String(r.status ?? 200))) problems.push(`${k}: no ${r.status ?? 200} answer`);
      const errors = ['400', '401', '403', ...(r.params ? ['404'] : []), ...(r.method === 'GET' ? [] : ['409', '422'])];
      for (const s of errors) {
        const schema = op.responses[s]?.content?.['application/json']?.schema;
        if (!isDeepStrictEqual(schema, { $ref: '#/components/schemas/Error' })) problems.push(`${k}: no ${s} error envelope`);
      }
      const media = Object.keys(op.requestBody?.content ?? {});
      const expected = r.body === undefined ? [] : r.body === 'raw' ? [...(RAW_BODIES[k] ?? [])] : ['application/json'];
      if (!isDeepStrictEqual(media, expected)) problems.push(`${k}: request body ${JSON.stringify(media)}, expected ${JSON.stringify(expected)}`);
      if (r.idempotency && !op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')) problems.push(`${k}: no Idempotency-Key header`);
      for (const response of Object.values(op.responses)) if (!response.description) problems.push(`${k}: an answer without description`);
    }
    expect(problems).toEqual([]);
    expect(Object.keys(committed.components.securitySchemes ?? {}).sort()).toEqual(['cognitoIdToken', 'deviceAccessToken']);
  });

  it('documents the answers that are not JSON as what they are (PDF, images, zip)', () => {
    for (const [k, { mediaTypes }] of Object.entries(RAW_RESPONSES)) {
      const [method, path] = k.split(' ') as [string, string];
      expect(Object.keys(committed.paths[path]?.[method.toLowerCase()]?.responses['200']?.content ?? {}), k).toEqual(mediaTypes);
    }
    // A file route by its extension must be in the table.
    const files = manifestRoutes.filter((r) => r.auth !== 'none' && /\.(pdf|zip|png|svg)$/.test(r.path)).map(key);
    expect(files.filter((k) => !(k in RAW_RESPONSES))).toEqual([]);
    expect(committed.paths['/cases/{id}/file.pdf']?.get?.responses).toHaveProperty('303');
  });

  it('documents the other statuses handlers answer with: 201 of the PUTs that create a version, 202 of an upload being verified, 409 of a QR code without certificate', () => {
    for (const [k, statuses] of [...Object.entries(OTHER_SUCCESS), ...Object.entries(OTHER_ERRORS)]) {
      const [method, path] = k.split(' ') as [string, string];
      for (const s of statuses) expect(committed.paths[path]?.[method.toLowerCase()]?.responses, k).toHaveProperty(String(s));
    }
    expect(committed.paths['/evidence/uploads/{id}/complete']?.post?.responses['202']?.description).toBe('已受理，尚在处理中');
  });

  it('compiles every request and response schema with a JSON Schema 2020-12 validator', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema(committed, 'urn:three-systems:internal-openapi');
    const segment = (x: string) => encodeURIComponent(x.replace(/~/g, '~0').replace(/\//g, '~1'));
    const failures: string[] = [];
    let compiled = 0;
    for (const [path, ops] of Object.entries(committed.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const at = [
          ...Object.keys(op.requestBody?.content ?? {}).map((m) => ['requestBody', 'content', m]),
          ...Object.entries(op.responses).flatMap(([s, x]) => Object.keys(x.content ?? {}).map((m) => ['responses', s, 'content', m])),
        ];
        for (const rest of at) {
          const pointer = ['paths', path, method, ...rest, 'schema'].map(segment).join('/');
          try {
            ajv.compile({ $ref: `urn:three-systems:internal-openapi#/${pointer}` });
            compiled++;
          } catch (e) {
            failures.push(`${method.toUpperCase()} ${path} ${rest.join(' ')}: ${(e as Error).message}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(compiled).toBeGreaterThan(300);
  });
});

describe('generator: internal routes fail loudly when they cannot be documented', () => {
  it('refuses a lazy body that was not resolved, and a raw body without its media types', () => {
    const lazy = route({ method: 'POST', path: '/x', auth: 'case.write', summary: 'x', body: lazySchema(() => Promise.resolve(z.strictObject({}))), handle: () => Promise.resolve({}) });
    expect(() => buildOpenApi([lazy])).toThrow(/POST \/x has a lazy body schema/);
    const raw = route({ method: 'POST', path: '/y', auth: 'catalog.manage', summary: 'y', body: 'raw', handle: () => Promise.resolve({}) });
    expect(() => buildOpenApi([raw])).toThrow(/POST \/y takes a raw body/);
  });
});

// --- Real answers of the registry function, checked against the document ----------------------

const { handler: registry } = await import('../../functions/registry/handler.ts');

function event(resource: string, claims?: Record<string, unknown>, query: Record<string, string> | null = null): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    resource,
    path: resource,
    body: null,
    isBase64Encoded: false,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: query,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { requestId: 'req-openapi', ...(claims ? { authorizer: { claims } } : {}) },
  } as unknown as APIGatewayProxyEvent;
}

const person = (groups: string) => ({ sub: 'u-1', name: '张执法', 'cognito:groups': groups, 'custom:agencyId': 'sq-city' });
const device = { sub: 'dev-1', token_use: 'access', client_id: 'dev-1', scope: 'evidence/upload' };
const call = async (e: APIGatewayProxyEvent) => (await registry(e, context)) as APIGatewayProxyResult;

describe('GET /openapi.json answers signed-in staff only, and its answers match the document', () => {
  const validator = responseValidator(committed);

  it.each(['officer', 'reviewer', 'leader', 'admin'])('a signed-in %s gets the committed document, valid against its own response schema', async (group) => {
    const res = await call(event('/openapi.json', group === 'admin' ? { sub: 'u-9', 'cognito:groups': 'admin' } : person(group)));
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as unknown;
    expect(body).toEqual(committed);
    const validate = validator('GET', '/openapi.json');
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ openapi: '3.0.0' })).toBe(false);
  });

  it('refuses a device token (403) and no token (401), each answer valid against the documented error', async () => {
    const refused = await call(event('/openapi.json', device));
    expect(refused.statusCode).toBe(403);
    const forbidden = validator('GET', '/openapi.json', '403');
    expect(forbidden(JSON.parse(refused.body)), JSON.stringify(forbidden.errors)).toBe(true);
    const anonymous = await call(event('/openapi.json'));
    expect(anonymous.statusCode).toBe(401);
    expect(validator('GET', '/openapi.json', '401')(JSON.parse(anonymous.body))).toBe(true);
    // A user with no role, or without an agency, is not staff.
    expect((await call(event('/openapi.json', { sub: 'u-2', name: '无角色' }))).statusCode).toBe(403);
    expect((await call(event('/openapi.json', { sub: 'u-3', 'cognito:groups': 'officer' }))).statusCode).toBe(403);
  });

  it('a refused query of another route (400) is the documented error, with the field named', async () => {
    const res = await call(event('/agencies', person('officer'), { limit: '0' }));
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body) as { error: { details?: { path?: string }[] } };
    const validate = validator('GET', '/agencies', '400');
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(body.error.details?.[0]?.path).toContain('limit');
  });

  it('the permission is one of shared/domain/access.ts: every staff group, never a device or a person without a role', () => {
    const staff = (groups: Identity['groups'], agencyId: string | null = 'sq-city'): Identity => ({ sub: 's', name: 's', groups, ...(agencyId ? { agencyId } : {}) });
    for (const g of ['officer', 'reviewer', 'leader', 'admin'] as const) expect(permits(staff([g]), 'openapi.read'), g).toBe(true);
    expect(permits(staff(['admin'], null), 'openapi.read')).toBe(true);
    expect(permits(staff([]), 'openapi.read')).toBe(false);
    expect(permits(staff(['officer'], null), 'openapi.read')).toBe(false);
    expect(permits({ sub: 'd', name: 'd', groups: [], deviceClientId: 'd', scopes: ['evidence/upload'] }, 'openapi.read')).toBe(false);
  });
});
