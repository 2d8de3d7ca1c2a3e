/**
 * The API client: openapi-fetch typed by the internal API's document (schema.d.ts, generated from the
 * routes' zod schemas by `npm run openapi`), so paths, parameters and bodies are checked against the
 * API; the signed-in user's token on every request; a 401 (expired or revoked session) handed to the
 * app, which sends the user to sign in and back. Errors come back as ApiError values, never thrown, so
 * every page can show them.
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema.d.ts';
import { toApiError, type ApiError } from '../lib/errors.ts';
import type { DemoPerson } from './types.ts';

export interface AuthHooks {
  readonly token: () => string | undefined;
  readonly onUnauthorized: () => void;
}

export type Result<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: ApiError };

export function createApi(apiUrl: string, auth: AuthHooks) {
  const client = createClient<paths>({ baseUrl: apiUrl });
  client.use({
    onRequest({ request }) {
      const token = auth.token();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) auth.onUnauthorized();
      return response;
    },
  });
  return client;
}

export type Api = ReturnType<typeof createApi>;

/**
 * An openapi-fetch answer as a Result; a network failure (fetch threw) is status 0. The document does
 * not describe most answers' bodies yet (`unknown`): the caller names the shape it reads (api/types.ts).
 */
export async function result<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Result<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok && data !== undefined) return { ok: true, data: data as T };
    return { ok: false, error: toApiError(response.status, error) };
  } catch {
    return { ok: false, error: toApiError(0, undefined) };
  }
}

// Local mode only (not in the API's document): the sign-in page's people and the token issuer.

async function localJson<T>(url: string, init?: RequestInit): Promise<Result<T>> {
  try {
    const res = await fetch(url, init);
    const body: unknown = await res.json().catch(() => undefined);
    return res.ok ? { ok: true, data: body as T } : { ok: false, error: toApiError(res.status, body) };
  } catch {
    return { ok: false, error: toApiError(0, undefined) };
  }
}

export const localPeople = (apiUrl: string): Promise<Result<{ items: DemoPerson[] }>> => localJson(`${apiUrl}/local/people`);

export const localToken = (apiUrl: string, person: DemoPerson): Promise<Result<{ token: string }>> =>
  localJson(`${apiUrl}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: person.sub, name: person.name, groups: person.groups, agencyId: person.agencyId, ...(person.officerId ? { officerId: person.officerId } : {}) }),
  });
