/**
 * Helpers for integration tests that go through HTTP: start the local API in the test's own process
 * (any free port) against the DynamoDB Local and s3rver the global setup started, and get tokens.
 *
 *   const api = await startApi();
 *   const res = await api.fetchJson('/agencies', { token: await api.token(['admin']) });
 *   await api.stop();
 *
 * Files share one database: use ids of your own (`uniqueId()`), never clear tables.
 */
import { randomUUID } from 'node:crypto';
import { inject, vi } from 'vitest';
import type { Group } from '../../shared/domain/identity.ts';
import { startLocalSystem, type LocalSystem } from '../../local/runtime.ts';
import type { HandlerLoader, LambdaHandler } from '../../local/server.ts';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { applyLocalEnvironment, createTableInput } from '../../local/services.ts';
import { tableName } from '../../shared/aws/env.ts';
import type { TableId } from '../../shared/manifest.ts';
import { tableSpec } from '../../shared/store/tables.ts';

export interface TokenOptions {
  readonly sub?: string;
  readonly name?: string;
  readonly agencyId?: string;
  readonly officerId?: string;
  /** Negative for an already expired token. */
  readonly expiresInSeconds?: number;
}

export interface FetchOptions {
  readonly method?: string;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as is (with your own content-type header). */
  readonly body?: string | Buffer | Uint8Array;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or undefined when the body is not JSON. */
  readonly body: T;
  readonly text: string;
}

export interface TestApi {
  readonly url: string;
  readonly system: LocalSystem;
  /** Every line the server logged (one per request), to check what it logs. */
  readonly logs: readonly string[];
  token(groups?: readonly Group[], options?: TokenOptions): Promise<string>;
  fetchJson<T = unknown>(path: string, options?: FetchOptions): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

/** A short id for this test's own rows, so parallel files do not collide. */
export const uniqueId = (prefix = 't'): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A loader serving one handler module for every function (fake handlers under fixtures/). */
export const singleHandler = (load: () => Promise<{ handler: LambdaHandler }>): HandlerLoader => async () =>
  (await load()).handler;

export async function startApi(options: { seed?: boolean; loadHandler?: HandlerLoader } = {}): Promise<TestApi> {
  const services = inject('localServices');
  // The worker inherits these from the global setup already; applying them again keeps the helper
  // working with a pool that does not inherit the environment.
  applyLocalEnvironment(services.env);
  const logs: string[] = [];
  const system = await startLocalSystem({
    port: 0,
    services,
    seed: options.seed ?? false,
    log: (line) => logs.push(line),
    ...(options.loadHandler ? { loadHandler: options.loadHandler } : {}),
  });

  const fetchJson = async <T>(path: string, init: FetchOptions = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    let body: string | Uint8Array | undefined;
    if (init.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.body !== undefined) {
      body = init.body;
    }
    const response = await fetch(`${system.url}${path}`, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  };

  return {
    url: system.url,
    system,
    logs,
    token: (groups = ['officer'], tokenOptions = {}) =>
      system.tokens.issue(
        {
          sub: tokenOptions.sub ?? uniqueId('user'),
          name: tokenOptions.name ?? '测试用户',
          groups,
          ...(tokenOptions.agencyId !== undefined ? { agencyId: tokenOptions.agencyId } : {}),
          ...(tokenOptions.officerId !== undefined ? { officerId: tokenOptions.officerId } : {}),
        },
        tokenOptions.expiresInSeconds !== undefined ? { expiresInSeconds: tokenOptions.expiresInSeconds } : {},
      ),
    fetchJson,
    stop: () => system.stop(),
  };
}

/** A power-list item for a test's own agency (food-safety penalty by default), created by an admin. */
export function createPower(api: TestApi, adminToken: string, code: string, agencyId: string, content: Record<string, unknown> = {}): Promise<ApiResponse<unknown>> {
  return api.fetchJson('/powers', {
    token: adminToken,
    json: {
      code,
      effectiveFrom: '2024-01-01',
      content: {
        name: '对经营超过保质期食品的行政处罚',
        type: 'PENALTY',
        agencyId,
        handlingDivision: '执法稽查局',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        timeLimit: '九十日',
        flowchart: '立案→调查→决定',
        serviceGuide: '咨询电话 0527-80000000',
        remedies: '行政复议或行政诉讼',
        category: '食品安全',
        ...content,
      },
    },
  });
}

/** The EMF lines printed to stdout while `fn` runs (everything else printed is let through). */
export async function emfLines(fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) out.push(text);
    else (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return out.flatMap((t) => t.split('\n').filter((l) => l.startsWith('{'))).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** [metric name, agency, value] of each EMF line. */
export const metricNames = (lines: Record<string, unknown>[]) =>
  lines.map((l) => {
    const name = (l._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]!.Metrics[0]!.Name;
    return [name, l.agency, l[name]];
  });

/**
 * A table of this file's own, defined like `id` (keys, indexes), that this worker's code uses instead
 * of the shared one: for files that tamper with a table or write what other files must not see.
 * Call it before anything in the worker reads the table's name (`tableName` keeps the first it reads).
 */
export async function ownTable(id: TableId, label: string): Promise<{ readonly name: string; drop(): Promise<void> }> {
  const spec = tableSpec(id);
  const name = `${id}-${label}-${randomUUID().slice(0, 8)}`;
  const client = new DynamoDBClient({});
  await client.send(new CreateTableCommand(createTableInput(spec, name)));
  process.env[spec.envVar] = name;
  if (tableName(id) !== name) throw new Error(`${id} was read before ownTable(): this worker already uses ${tableName(id)}`);
  return {
    name,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
      client.destroy();
    },
  };
}


/**
 * The body of PUT /cases/{id}/decision for a warning by the simple procedure (outside the review scope,
 * so it can be issued at once); `documentText` and anything else a test cares about are its own.
 */
export const simpleWarningDraft = (overrides: { readonly documentText: string } & Readonly<Record<string, unknown>>) => ({
  version: 0,
  kind: 'PENALTY',
  decisionNo: `测市监简罚〔2026〕${uniqueId('n')}号`,
  procedure: 'SIMPLE',
  conclusion: '给予警告',
  penalties: ['WARNING'],
  legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
  facts: '当事人经营超过保质期的食品',
  decisionDate: '2026-09-30',
  ...overrides,
});

/** The agency settings the penalty documents need (P5–P7); set once on a test's own agency. */
export const DOCUMENT_SETTINGS = {
  documentNoPrefix: '测市监',
  address: '测试市示范路1号',
  phone: '0527-80000000',
  paymentBank: '中国工商银行测试分行',
  paymentAccountName: '测试市财政局非税收入汇缴结算户',
  paymentAccount: '1116 0000 0000 9999',
  reconsiderationBody: '测试市人民政府',
  court: '测试市测试区人民法院',
} as const;

/**
 * The prior notice of a general-procedure penalty (P1), served on `date` and waived in writing the same
 * day, so that the decision may be issued: for tests about what comes after. `date` defaults to the
 * case's filing date (the draft's decision date must not precede it). Does nothing for any other draft.
 */
export async function serveNoticeAndWaive(api: TestApi, caseId: string, options: { readonly officerIds: readonly string[]; readonly date?: string }): Promise<void> {
  const admin = await api.token(['admin']);
  const view = (await api.fetchJson<{ case: { agencyId: string; version: number; filingDate: string }; decision: { draft: { kind: string; procedure: string } } | null }>(`/cases/${caseId}`, { token: admin })).body;
  // Only a general-procedure penalty takes a prior notice.
  if (view.decision?.draft.kind !== 'PENALTY' || view.decision.draft.procedure !== 'GENERAL') return;
  const c = view.case;
  const agency = await api.fetchJson<{ version: number; documentNoPrefix?: string }>(`/agencies/${c.agencyId}`, { token: admin });
  if (!agency.body.documentNoPrefix) {
    const patched = await api.fetchJson(`/agencies/${c.agencyId}`, { method: 'PATCH', token: admin, json: { version: agency.body.version, ...DOCUMENT_SETTINGS } });
    if (patched.status !== 200 && patched.status !== 409) throw new Error(`agency settings: ${patched.status} ${patched.text}`);
  }
  const date = options.date ?? c.filingDate;
  const notice = await api.fetchJson<{ document: { id: string } }>(`/cases/${caseId}/notice`, { token: admin, json: { version: c.version, date } });
  if (notice.status !== 201) throw new Error(`notice: ${notice.status} ${notice.text}`);
  const served = await api.fetchJson(`/cases/${caseId}/services`, {
    token: admin,
    json: { documentId: notice.body.document.id, method: 'DIRECT', servedOn: date, recipient: '当事人', place: '当事人住所', officerIds: options.officerIds, receipt: '当事人签收' },
  });
  if (served.status !== 201) throw new Error(`service: ${served.status} ${served.text}`);
  const waived = await api.fetchJson(`/cases/${caseId}/statements`, { token: admin, json: { kind: 'WAIVER', receivedOn: date, channel: 'WRITTEN', text: '本人放弃陈述、申辩和听证的权利。' } });
  if (waived.status !== 201) throw new Error(`waiver: ${waived.status} ${waived.text}`);
}
