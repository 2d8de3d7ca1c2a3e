/**
 * Recounting provisional deadlines after a holiday year is entered (issue 11, "Measure"): does the
 * recount read and take the same with 100,000 stored decisions as with 10,000, when the same 10,000
 * deadlines are provisional?
 *
 * DynamoDB Local in memory with the stacks' tables; decisions written with the store's own item
 * builder (`putDecision`), so every key and the sparse `PROVISIONAL#DEADLINES` entry are what the
 * product writes. The provisional ones are issued decisions of 2099 (a year no data covers) counted
 * Monday–Friday; the recount runs on a calendar with a made-up 2099 arrangement (test data, not a
 * notice) whose June festival moves every due date, so each recount writes — the worst case.
 * Between the two sizes the same provisional set is written again, unchanged.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Decision, DecisionDraft } from '../shared/domain/decision-record.ts';
import { createCalendar, workingDayCalendar } from '../shared/domain/working-days.ts';
import type { HolidayArrangement } from '../shared/domain/holiday-overrides.ts';
import { applyLocalEnvironment, LOCAL_CREDENTIALS, LOCAL_REGION, localEnvironment, startEmbeddedServices } from '../local/services.ts';
import { round } from './stats.ts';
import { countReads } from './read-counter.ts';

export interface ProvisionalSizeRun {
  readonly decisionsStored: number;
  readonly provisional: number;
  readonly itemsRead: number;
  readonly roundTrips: number;
  readonly changed: number;
  readonly remaining: number;
  readonly ms: number;
  readonly perDeadlineMs: number;
  readonly loadAverage: number;
}

const MADE_UP_2099: HolidayArrangement = {
  year: 2099,
  notice: { title: '基准测试数据（非官方）', documentNo: '基准〔2099〕1号' },
  festivals: [{ name: '基准假期', off: ['2099-06-01', '2099-06-30'], work: [] }],
};

const draftOf = (decisionDate: string, n: number): DecisionDraft =>
  ({
    kind: 'PENALTY',
    decisionNo: `基准〔${decisionDate.slice(0, 4)}〕${n}号`,
    procedure: 'SIMPLE',
    conclusion: '给予警告',
    penalties: ['WARNING'],
    legalBasis: '依据条款',
    facts: '事实经过',
    documentText: '当事人经营超过保质期的食品，决定给予警告。',
    decisionDate,
  }) as DecisionDraft;

/** An issued decision of `date`, its 7-working-day deadline counted on the packaged calendar. */
function issued(caseId: string, date: string, n: number): Decision {
  const draft = draftOf(date, n);
  const due = workingDayCalendar.addWorkingDays(date, 7);
  const at = `${date}T02:00:00.000Z`;
  return {
    caseId,
    publicId: randomUUID(),
    status: 'ISSUED',
    version: 2,
    draft,
    draftHash: 'bench',
    scope: { inScope: false, matched: [], collectiveDiscussion: false },
    publicationDue: { dueDate: due.dueDate, workingDays: 7, rule: '7 个工作日', skipped: due.skipped, adjustedWorkdays: due.adjustedWorkdays, ...(due.provisional ? { provisional: due.provisional } : {}) },
    issuedAt: at,
    issuedBy: '基准',
    corrections: [],
    createdAt: at,
    updatedAt: at,
  } as Decision;
}

export async function benchProvisional(sizes: readonly number[], provisional: number, say: (line: string) => void): Promise<ProvisionalSizeRun[]> {
  const services = await startEmbeddedServices({});
  applyLocalEnvironment(localEnvironment(services));
  // Imported after the environment is set: the shared clients read their endpoint once.
  const { documentClient } = await import('../shared/aws/clients.ts');
  const { tableName } = await import('../shared/aws/env.ts');
  const { putDecision } = await import('../shared/store/cases.ts');
  const { recomputeProvisionalDeadlines } = await import('../shared/services/provisional.ts');
  const counts = countReads(documentClient(), 'benchProvisionalReadCounter');
  const loader = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: services.dynamodbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 8 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const write = async (decisions: Iterable<Decision>): Promise<void> => {
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      let items = batch.map((Item) => ({ PutRequest: { Item } }));
      batch = [];
      for (let attempt = 0; items.length > 0; attempt++) {
        const res = await loader.send(new BatchWriteCommand({ RequestItems: { [tableName('Cases')]: items } }));
        items = (res.UnprocessedItems?.[tableName('Cases')] ?? []).map((r) => ({ PutRequest: { Item: r.PutRequest?.Item ?? {} } }));
        if (attempt > 20) throw new Error('BatchWriteItem kept items unprocessed');
      }
    };
    const pending: Promise<void>[] = [];
    for (const d of decisions) {
      const w = putDecision(d, 0);
      if (w.kind !== 'put') throw new Error('expected a put');
      batch.push(w.item);
      if (batch.length === 25) {
        pending.push(flush());
        if (pending.length >= 8) await Promise.all(pending.splice(0));
      }
    }
    if (batch.length) pending.push(flush());
    await Promise.all(pending);
  };
  function* provisionalSet(): Generator<Decision> {
    for (let i = 0; i < provisional; i++) yield issued(`00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, '2099-05-25', i);
  }
  function* background(from: number, to: number): Generator<Decision> {
    // Final deadlines of 2025: not provisional, never read by the recount.
    for (let i = from; i < to; i++) yield issued(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, `2025-${String(1 + (i % 12)).padStart(2, '0')}-10`, i);
  }
  const calendar = createCalendar([MADE_UP_2099]);
  const runs: ProvisionalSizeRun[] = [];
  try {
    let stored = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      say(`writing decisions ${stored.toLocaleString('en')}–${(size - 1).toLocaleString('en')} (final) and the ${provisional.toLocaleString('en')} provisional ones…`);
      await write(background(stored, size - provisional));
      await write(provisionalSet());
      stored = size;
      counts.items = 0;
      counts.trips = 0;
      const loadAverage = round(loadavg()[0] ?? Number.NaN, 2);
      say(`recounting ${provisional.toLocaleString('en')} provisional deadlines among ${size.toLocaleString('en')} decisions…`);
      const started = performance.now();
      const result = await recomputeProvisionalDeadlines({ year: 2099, calendar });
      const ms = performance.now() - started;
      runs.push({ decisionsStored: size, provisional, itemsRead: counts.items, roundTrips: counts.trips, changed: result.changed, remaining: result.remaining, ms: round(ms, 0), perDeadlineMs: round(ms / provisional, 2), loadAverage });
      say(`  ${result.changed} changed, ${counts.items} items read in ${counts.trips} round trips, ${(ms / 1000).toFixed(1)} s`);
    }
    return runs;
  } finally {
    loader.destroy();
    await services.stop();
  }
}
