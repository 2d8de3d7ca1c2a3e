/** Lambda entry of the public disclosure API. */
import * as z from '#domain/z.ts';
import { createHttpHandler, route } from '#http/router.ts';
import type { Route } from '#http/router.ts';
import { publicRoutes } from './routes.ts';

let openApiDocument: Record<string, unknown> | undefined;

const openApiRoute: Route = route({
  method: 'GET',
  path: '/public/openapi.json',
  auth: 'public',
  summary: '本接口的 OpenAPI 3.1 文档',
  query: z.strictObject({}),
  // The generator is loaded by this route only (its own chunk), the document built once per process.
  handle: async (): Promise<Record<string, unknown>> => (openApiDocument ??= (await import('./openapi.ts')).buildOpenApi(allRoutes)),
});

const allRoutes: Route[] = [...publicRoutes, openApiRoute];

export const handler = createHttpHandler(allRoutes);
