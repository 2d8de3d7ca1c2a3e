/**
 * Concurrent case filings (issue 10, point 4; issue 12, point 1). The local system is started in this
 * process (DynamoDB Local in memory, s3rver), agencies with two certified officers and a power-list
 * item each are created through the API, then POST /cases is sent with `inFlight` at a time.
 *
 * Every filing commits the case, the agency's number counter and its audit event in one transaction;
 * the counter and the audit chain head are the contended items, so the figure to watch is p99 (the
 * filings that lost a race and retried), not p50.
 *
 * 1. `filings` filings in one agency: all succeed with distinct, gap-free numbers (issue 10).
 * 2. The audit chains, before and after the split (issue 12): the same concurrent filings spread over
 *    3 agencies and all in one agency, once with every event on one chain (the bench-only switch
 *    `useSingleAuditChain`, as before the split) and once on the 16 chains; throughput and the
 *    retries counted in `commit` (chain head lost, another item busy, the case number taken).
 *    Runs alternate between the two modes so a busy moment of the machine does not fall on one.
 */
import { creditCodeCheckChar } from '../shared/domain/identifiers.ts';
import { commitCounters, useSingleAuditChain } from '../shared/store/transact.ts';
import { startLocalSystem, type LocalSystem } from '../local/runtime.ts';
import { percentile, round } from './stats.ts';

export interface FilingRun {
  readonly filings: number;
  readonly inFlight: number;
  readonly succeeded: number;
  readonly failures: readonly string[];
  /** Case numbers distinct and exactly 1..filings. */
  readonly gapFree: boolean;
  readonly wallMs: number;
  readonly throughputPerS: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** One run of the audit-chain comparison. */
export interface ChainRun {
  /** `1` = every event on one chain (before the split), `16` = chains by entity. */
  readonly chains: 1 | 16;
  readonly agencies: number;
  readonly filings: number;
  readonly inFlight: number;
  readonly succeeded: number;
  readonly throughputPerS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Transactions retried because a chain head had moved (or was being moved) meanwhile. */
  readonly headRetries: number;
  /** Transactions retried because another of their items was being written meanwhile. */
  readonly otherRetries: number;
  /** Attempts refused because the agency's case number was taken meanwhile (re-numbered and retried by the service). */
  readonly numberRetries: number;
}

export interface FilingBench extends FilingRun {
  readonly auditChains: readonly ChainRun[];
  /** Over all comparison runs: each agency's numbers distinct and exactly 1..n. */
  readonly auditChainsGapFree: boolean;
}

interface Filed {
  readonly times: number[];
  readonly numbers: Map<string, number[]>;
  readonly failures: string[];
  readonly wallMs: number;
}

type Call = <T>(path: string, token: string, json: unknown) => Promise<{ status: number; body: T; text: string }>;

function client(system: LocalSystem): Call {
  return async <T>(path: string, token: string, json: unknown) => {
    const res = await fetch(`${system.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as T, text };
  };
}

/** An agency with two certified officers and a penalty item; returns a filing officer's token and the filing body. */
async function prepareAgency(system: LocalSystem, call: Call, admin: string, agencyId: string, n: number) {
  const must = async <T>(path: string, json: unknown): Promise<T> => {
    const res = await call<T>(path, admin, json);
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${res.text}`);
    return res.body;
  };
  await must('/agencies', { id: agencyId, name: `基准测试市场监督管理局${n}`, level: 'CITY', region: '基准市' });
  const officers: string[] = [];
  for (let i = 0; i < 2; i++) {
    const o = await must<{ id: string }>('/officers', { name: `基准执法员${n}-${i}`, agencyId, certificateNo: `321399${String(n).padStart(2, '9')}00${i}`, categories: ['食品安全'], region: '基准市', validUntil: '2029-12-31' });
    officers.push(o.id);
  }
  const powerCode = `BENCH-CF-${String(n).padStart(3, '0')}`;
  await must('/powers', {
    code: powerCode,
    effectiveFrom: '2024-01-01',
    content: {
      name: '对经营超过保质期食品的行政处罚', type: 'PENALTY', agencyId, handlingDivision: '执法稽查局', legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
      timeLimit: '九十日', flowchart: '立案→调查→决定', serviceGuide: '咨询电话', remedies: '行政复议或行政诉讼', category: '食品安全',
    },
  });
  const token = await system.tokens.issue({ sub: `bench-officer-${n}`, name: '基准承办人', groups: ['officer'], agencyId });
  const creditBody = '91321302MA1BENCH0';
  const body = (i: number) => ({
    agencyId, enforcementType: 'PENALTY', powerCode, filingDate: '2026-03-02', summary: `基准并发立案 ${i}`, handlingOfficerIds: officers,
    party: { kind: 'ORG', name: '宿迁市基准测试有限公司', creditCode: creditBody + creditCodeCheckChar(creditBody), address: '宿迁市' },
  });
  return { agencyId, token, body };
}

type Agency = Awaited<ReturnType<typeof prepareAgency>>;

/** `filings` POST /cases, `inFlight` at a time, the i-th in `agencyOf(i)`. */
async function fileConcurrently(call: Call, filings: number, inFlight: number, agencyOf: (i: number) => Agency): Promise<Filed> {
  const times: number[] = [];
  const numbers = new Map<string, number[]>();
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < filings) {
      const i = next++;
      const agency = agencyOf(i);
      const t0 = performance.now();
      const res = await call<{ caseNo: string }>('/cases', agency.token, agency.body(i));
      times.push(performance.now() - t0);
      if (res.status === 201) numbers.set(agency.agencyId, [...(numbers.get(agency.agencyId) ?? []), Number(res.body.caseNo.split('-').at(-1))]);
      else failures.push(`${res.status} ${res.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { times, numbers, failures, wallMs: performance.now() - started };
}

const gapFree = (numbers: readonly number[], expected: number): boolean => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted.length === expected && sorted.every((n, i) => n === i + 1);
};

export async function benchFilings(filings: number, inFlight: number, say: (line: string) => void, chainFilings = filings): Promise<FilingBench> {
  say('starting the local system (DynamoDB Local in memory, s3rver, no demo data)…');
  const system = await startLocalSystem({ seed: false, port: 0, log: () => undefined });
  try {
    const admin = await system.tokens.issue({ sub: 'bench-admin', name: '基准管理员', groups: ['admin'] });
    const call = client(system);
    // One system for both parts: the shared AWS clients keep the endpoint of the first DynamoDB Local.
    const agencies = [];
    for (let n = 0; n < 4; n++) agencies.push(await prepareAgency(system, call, admin, n === 0 ? 'bench-filings' : `bench-chains-${n}`, n));
    const [one, ...three] = agencies as [Agency, Agency, Agency, Agency];

    say(`${filings} filings in one agency, ${inFlight} in flight…`);
    const single = await fileConcurrently(call, filings, inFlight, () => one);
    const run: FilingRun = {
      filings,
      inFlight,
      succeeded: single.numbers.get(one.agencyId)?.length ?? 0,
      failures: single.failures,
      gapFree: gapFree(single.numbers.get(one.agencyId) ?? [], filings),
      wallMs: round(single.wallMs, 1),
      throughputPerS: round((filings / single.wallMs) * 1000, 1),
      p50Ms: round(percentile(single.times, 50), 1),
      p90Ms: round(percentile(single.times, 90), 1),
      p99Ms: round(percentile(single.times, 99), 1),
      maxMs: round(Math.max(...single.times), 1),
    };

    // The audit chains before (1 chain) and after (16) the split, alternating.
    const runs: ChainRun[] = [];
    const perAgency = new Map<string, number[]>();
    const layouts: { agencies: number; agencyOf: (i: number) => Agency }[] = [
      { agencies: 3, agencyOf: (i) => three[i % 3]! },
      { agencies: 1, agencyOf: () => three[0]! },
    ];
    try {
      for (const layout of layouts) {
        for (const chains of [1, 16] as const) {
          useSingleAuditChain(chains === 1);
          say(`${chainFilings} filings over ${layout.agencies} agenc${layout.agencies === 1 ? 'y' : 'ies'}, ${inFlight} in flight, ${chains} audit chain${chains === 1 ? '' : 's'}…`);
          const before = commitCounters();
          const filed = await fileConcurrently(call, chainFilings, inFlight, layout.agencyOf);
          const after = commitCounters();
          for (const [agency, nums] of filed.numbers) perAgency.set(agency, [...(perAgency.get(agency) ?? []), ...nums]);
          runs.push({
            chains,
            agencies: layout.agencies,
            filings: chainFilings,
            inFlight,
            succeeded: [...filed.numbers.values()].reduce((n, l) => n + l.length, 0),
            throughputPerS: round((chainFilings / filed.wallMs) * 1000, 1),
            p50Ms: round(percentile(filed.times, 50), 1),
            p99Ms: round(percentile(filed.times, 99), 1),
            headRetries: after.headRetries - before.headRetries,
            otherRetries: after.otherRetries - before.otherRetries,
            numberRetries: after.conditionFailures - before.conditionFailures,
          });
          for (const f of filed.failures.slice(0, 3)) say(`FAILED: ${f}`);
        }
      }
    } finally {
      useSingleAuditChain(false);
    }
    const expectedPerAgency = new Map<string, number>();
    for (const layout of layouts) {
      for (let r = 0; r < 2; r++) for (let i = 0; i < chainFilings; i++) {
        const id = layout.agencyOf(i).agencyId;
        expectedPerAgency.set(id, (expectedPerAgency.get(id) ?? 0) + 1);
      }
    }
    const auditChainsGapFree = [...expectedPerAgency].every(([id, n]) => gapFree(perAgency.get(id) ?? [], n));
    return { ...run, auditChains: runs, auditChainsGapFree };
  } finally {
    await system.stop();
  }
}
