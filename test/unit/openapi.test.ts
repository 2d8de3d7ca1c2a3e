/**
 * The public OpenAPI document works with real tools (issue 13, point 7): Redocly's linter with its
 * recommended rules finds no error, every `$ref` resolves at the document root (components/schemas),
 * every operation is public (`security: []`), named and described, and the document's schemas compile
 * with a JSON Schema 2020-12 validator. No network: the document is built from the handler's routes.
 */
import { describe, expect, it } from 'vitest';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { handler } from '../../functions/public/handler.ts';
import { buildOpenApi } from '../../functions/public/openapi.ts';
import { routes } from '../../shared/manifest.ts';
import * as z from '../../shared/domain/z.ts';
import { route } from '../../shared/http/router.ts';
import { responseValidator } from './openapi-validator.ts';

interface Operation {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

const doc = buildOpenApi(handler.routes) as unknown as Document;
const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));

/**
 * Warnings of the recommended ruleset allowed here, each with its reason. `info-license`: the document
 * describes published government information (政府信息公开), not licensed software or content.
 */
const ALLOWED_WARNINGS: Readonly<Record<string, string>> = {
  'info-license': 'published government information, no licence to state',
};

describe('public OpenAPI document', () => {
  it(`passes Redocly's recommended lint with 0 errors (warnings allowed: ${Object.keys(ALLOWED_WARNINGS).join(', ')})`, async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    const described = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
    expect(described.filter((p) => p.startsWith('error'))).toEqual([]);
    expect(problems.filter((p) => p.severity !== 'error' && !Object.hasOwn(ALLOWED_WARNINGS, p.ruleId)).map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
  });

  it('documents every public route of the manifest and nothing else', () => {
    const documented = operations.map((o) => o.key).sort();
    expect(documented).toEqual(routes.filter((r) => r.auth === 'none').map((r) => `${r.method} ${r.path}`).sort());
  });

  it('points every $ref at components/schemas, where each exists', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((r) => !r.startsWith('#/components/schemas/'))).toEqual([]);
    expect(refs.filter((r) => !(r.slice('#/components/schemas/'.length) in doc.components.schemas))).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('$defs');
  });

  it.each(operations)('$key: public (security: []), an operationId, a summary and described responses', ({ op }) => {
    expect(op.security).toEqual([]);
    expect(op.operationId).toMatch(/^get[A-Z]\w+$/);
    expect(op.summary).toBeTruthy();
    expect(Object.keys(op.responses)).toContain('200');
    for (const response of Object.values(op.responses)) expect(response.description).toBeTruthy();
  });

  it('has unique operation ids and declares no security scheme for a public-only document', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.components.securitySchemes).toBeUndefined();
  });

  it('compiles every response schema with a JSON Schema 2020-12 validator, which checks answers with them', () => {
    const validator = responseValidator(doc);
    for (const { key } of operations) {
      const [method, path] = key.split(' ') as [string, string];
      expect(() => validator(method, path), key).not.toThrow();
    }
    // The schemas do check: a verification answer without its fields is refused.
    const verify = validator('GET', '/public/officers/verify/{certificateNo}');
    expect(verify({})).toBe(false);
    expect(validator('GET', '/public/agencies')({ items: 'not a list' })).toBe(false);
  });

  it('declares the bearer scheme on staff operations when a document has them', () => {
    const staff = route({ method: 'GET', path: '/cases', auth: 'case.read', summary: '案件', query: z.strictObject({}), handle: () => Promise.resolve([]) });
    const mixed = buildOpenApi([...handler.routes, staff]) as unknown as Document;
    expect(mixed.paths['/cases']?.get?.security).toEqual([{ cognitoIdToken: [] }]);
    expect(mixed.components.securitySchemes).toEqual({ cognitoIdToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(mixed.paths['/public/agencies']?.get?.security).toEqual([]);
  });

  it('refuses two different schemas under one name', () => {
    const a = z.object({ x: z.string() }).meta({ id: 'Same' });
    const b = z.object({ y: z.number() }).meta({ id: 'Same' });
    const r = (path: string, response: z.ZodType) => route({ method: 'GET', path, auth: 'public', summary: 's', response, handle: () => Promise.resolve({}) });
    expect(() => buildOpenApi([r('/public/a', a), r('/public/b', b)])).toThrow(/two different schemas are named Same/);
  });
});
