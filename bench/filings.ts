/**
 * Concurrent case filings in one agency (issue 10, point 4): field teams filing at once must all
 * get through with distinct, gap-free case numbers. The local system is started in this process
 * (DynamoDB Local in memory, s3rver), one agency with two certified officers and one power-list item
 * is created through the API, then `filings` POST /cases are sent with `inFlight` at a time.
 *
 * Every filing commits the case, the agency's number counter and its audit event in one transaction;
 * the counter and the audit chain head are the contended items, so the figure to watch is p99 (the
 * filings that lost a race and retried), not p50.
 */
import { creditCodeCheckChar } from '../shared/domain/identifiers.ts';
import { startLocalSystem } from '../local/runtime.ts';
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

export async function benchFilings(filings: number, inFlight: number, say: (line: string) => void): Promise<FilingRun> {
  say('starting the local system (DynamoDB Local in memory, s3rver, no demo data)…');
  const system = await startLocalSystem({ seed: false, port: 0, log: () => undefined });
  try {
    const admin = await system.tokens.issue({ sub: 'bench-admin', name: '基准管理员', groups: ['admin'] });
    const call = async <T>(path: string, token: string, json: unknown): Promise<{ status: number; body: T; text: string }> => {
      const res = await fetch(`${system.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
      const text = await res.text();
      return { status: res.status, body: JSON.parse(text) as T, text };
    };
    const must = async <T>(path: string, json: unknown): Promise<T> => {
      const res = await call<T>(path, admin, json);
      if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${res.text}`);
      return res.body;
    };
    const agencyId = 'bench-filings';
    await must('/agencies', { id: agencyId, name: '基准测试市场监督管理局', level: 'CITY', region: '基准市' });
    const officers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const o = await must<{ id: string }>('/officers', { name: `基准执法员${i}`, agencyId, certificateNo: `3213999900${i}`, categories: ['食品安全'], region: '基准市', validUntil: '2029-12-31' });
      officers.push(o.id);
    }
    await must('/powers', {
      code: 'BENCH-CF-001',
      effectiveFrom: '2024-01-01',
      content: {
        name: '对经营超过保质期食品的行政处罚', type: 'PENALTY', agencyId, handlingDivision: '执法稽查局', legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        timeLimit: '九十日', flowchart: '立案→调查→决定', serviceGuide: '咨询电话', remedies: '行政复议或行政诉讼', category: '食品安全',
      },
    });
    const officer = await system.tokens.issue({ sub: 'bench-officer', name: '基准承办人', groups: ['officer'], agencyId });
    const creditBody = '91321302MA1BENCH0';
    const body = (i: number) => ({
      agencyId, enforcementType: 'PENALTY', powerCode: 'BENCH-CF-001', filingDate: '2026-03-02', summary: `基准并发立案 ${i}`, handlingOfficerIds: officers,
      party: { kind: 'ORG', name: '宿迁市基准测试有限公司', creditCode: creditBody + creditCodeCheckChar(creditBody), address: '宿迁市' },
    });

    say(`${filings} filings, ${inFlight} in flight…`);
    const times: number[] = [];
    const numbers: number[] = [];
    const failures: string[] = [];
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < filings) {
        const i = next++;
        const t0 = performance.now();
        const res = await call<{ caseNo: string }>('/cases', officer, body(i));
        times.push(performance.now() - t0);
        if (res.status === 201) numbers.push(Number(res.body.caseNo.split('-').at(-1)));
        else failures.push(`${res.status} ${res.text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const wallMs = performance.now() - started;
    const sorted = [...numbers].sort((a, b) => a - b);
    return {
      filings,
      inFlight,
      succeeded: numbers.length,
      failures,
      gapFree: sorted.length === filings && sorted.every((n, i) => n === i + 1),
      wallMs: round(wallMs, 1),
      throughputPerS: round((filings / wallMs) * 1000, 1),
      p50Ms: round(percentile(times, 50), 1),
      p90Ms: round(percentile(times, 90), 1),
      p99Ms: round(percentile(times, 99), 1),
      maxMs: round(Math.max(...times), 1),
    };
  } finally {
    await system.stop();
  }
}
