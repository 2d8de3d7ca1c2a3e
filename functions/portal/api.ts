/**
 * The portal's only source of data: the public API over HTTP (the same answers anyone gets), never
 * the tables. In AWS the API's URL is the stage URL; locally the local API (`npm start`).
 */
export interface ApiError {
  readonly code: string;
  readonly message: string;
  readonly details?: readonly { readonly path?: string; readonly message: string }[];
}

export type ApiResult<T> = { readonly ok: true; readonly status: number; readonly body: T } | { readonly ok: false; readonly status: number; readonly error: ApiError };

/** The API answered something the portal cannot show (not JSON, 5xx, unreachable, too slow). */
export class ApiUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`public API unavailable: ${reason}`);
    this.name = 'ApiUnavailable';
  }
}

export interface PublicApi {
  get<T>(path: string, query?: Readonly<Record<string, string | undefined>>): Promise<ApiResult<T>>;
}

const TIMEOUT_MS = 8_000;

export function publicApi(baseUrl: string, fetchImpl: typeof fetch = fetch): PublicApi {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async get<T>(path: string, query: Readonly<Record<string, string | undefined>> = {}): Promise<ApiResult<T>> {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v);
      const url = `${base}${path}${q.size > 0 ? `?${q.toString()}` : ''}`;
      let response: Response;
      try {
        response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (e) {
        throw new ApiUnavailable(e instanceof Error ? e.name : 'fetch failed');
      }
      if (response.status >= 500) throw new ApiUnavailable(`status ${response.status}`);
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new ApiUnavailable(`status ${response.status} without JSON`);
      }
      if (response.ok) return { ok: true, status: response.status, body: body as T };
      const error = (body as { error?: ApiError }).error;
      return { ok: false, status: response.status, error: error ?? { code: 'UNKNOWN', message: '请求无法完成' } };
    },
  };
}
