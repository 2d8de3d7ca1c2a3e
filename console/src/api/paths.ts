/**
 * The routes the console calls, in openapi-typescript's `paths` shape, for `createClient<paths>()`.
 * A stand-in written by hand: console/src/api/schema.d.ts, generated from the API's own document,
 * takes its place when it lands (change the import in client.ts), and then the compiler checks every
 * call against the API.
 */
import type * as T from './types.ts';

interface ErrorEnvelope {
  error: { code: string; message: string; details?: { path?: string; message: string }[] };
}

type Json<B> = { headers: Record<string, unknown>; content: { 'application/json': B } };
type Errors = { 400: Json<ErrorEnvelope>; 401: Json<ErrorEnvelope>; 403: Json<ErrorEnvelope>; 404: Json<ErrorEnvelope>; 409: Json<ErrorEnvelope>; 422: Json<ErrorEnvelope> };
type IdPath = { id: string };

/** openapi-typescript writes `path?: never` for a route without path parameters. */
type PathParams<Path> = [Path] extends [never] ? { path?: never } : { path: Path };

interface Get<Query, Path, Body> {
  parameters: { query?: Query; header?: never; cookie?: never } & PathParams<Path>;
  requestBody?: never;
  responses: { 200: Json<Body> } & Errors;
}
interface Post<Path, In, Out> {
  parameters: { query?: never; header?: { 'Idempotency-Key'?: string }; path: Path; cookie?: never };
  requestBody: { content: { 'application/json': In } };
  responses: { 201: Json<Out> } & Errors;
}

type Route<Ops> = { parameters: { query?: never; header?: never; path?: never; cookie?: never } } & Ops;

export interface paths {
  '/cases': Route<{ get: Get<{ agencyId?: string; cursor?: string; limit?: number }, never, T.Page<T.CaseDetail>> }>;
  '/cases/{id}': Route<{ get: Get<never, IdPath, { case: T.CaseDetail; decision: T.DecisionSummary | null }> }>;
  '/cases/{id}/timeline': Route<{ get: Get<never, IdPath, { items: T.TimelineEntry[] }> }>;
  '/cases/{id}/recording-gaps': Route<{ get: Get<never, IdPath, { caseId: string; gaps: T.RecordingGap[] }> }>;
  '/cases/{id}/documents': Route<{ get: Get<never, IdPath, { items: T.CaseDocument[] }> }>;
  '/cases/{id}/evidence': Route<{ get: Get<{ cursor?: string; limit?: number }, IdPath, T.Page<T.EvidenceSummary>> }>;
  '/cases/{id}/acts': Route<{ post: Post<IdPath, T.ActInput, { id: string }> }>;
  '/agencies/{id}': Route<{ get: Get<never, IdPath, T.Agency> }>;
  '/officers': Route<{ get: Get<{ agencyId?: string; cursor?: string; limit?: number }, never, T.Page<T.OfficerSummary>> }>;
  '/compliance/deadlines': Route<{ get: Get<{ agencyId?: string; date?: string }, never, { date: string; items: T.DeadlineItem[] }> }>;
}
