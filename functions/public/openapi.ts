/**
 * OpenAPI 3.1 for the public API, generated from the same zod schemas the routes parse with, so
 * the document cannot drift from the behaviour (D14).
 */
import * as z from '#domain/z.ts';
import type { Route } from '#http/router.ts';
import { errorEnvelope } from '#http/schemas.ts';

type JsonSchema = Record<string, unknown>;


function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = schemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

export function buildOpenApi(routes: readonly Route[], serverUrl = '/'): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      responses: {
        [String(r.status ?? 200)]: {
          description: '成功',
          content: { 'application/json': { schema: r.response ? schemaOf(r.response, 'output') : {} } },
        },
        '400': { description: '请求参数无效', content: { 'application/json': { schema: schemaOf(errorEnvelope, 'output') } } },
        ...(r.params ? { '404': { description: '不存在', content: { 'application/json': { schema: schemaOf(errorEnvelope, 'output') } } } } : {}),
      },
    };
    paths[r.path] = { ...(paths[r.path] ?? {}), [r.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '行政执法公示平台公开接口 (Public disclosure API)',
      version: '1.0.0',
      description:
        '行政执法三项制度·行政执法公示：执法主体、执法人员、证件核验、职权事项清单、双随机抽查事项清单、法定节假日安排（工作日期限据此计算）、已公示的执法决定及其在审计日志中的证明（GET /public/decisions/{id}/proof，可用 npm run verify-log 查验）。无需登录；不含任何个人信息。',
    },
    servers: [{ url: serverUrl }],
    paths,
  };
}
