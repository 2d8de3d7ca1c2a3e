/**
 * The daily deadline check and the annual report at two table sizes (10,000 and 100,000 decisions by
 * default): items read, round trips and time (issue 6, "Measure").
 *
 * 1. DynamoDB Local in memory (`startEmbeddedServices`), tables as the stacks define them.
 * 2. Fixed data, the same at every size: 10 agencies, 30 officers (3 certificates in the check's
 *    window), 100 issued decisions whose publication is due within the window, 50 issued ones due
 *    just after it, 20 public records whose disclosure period ended yesterday, 4 published decisions
 *    changed this week (withdrawal due, N4), 6 reviews waiting for people (2 opinions due), 5
 *    unsealed uploads (3 older than 24 hours).
 * 3. Per size N: N decisions of the report year (2025), each as its case, its decision and its
 *    public record (Disclosures `CURRENT`), in the state they would be in on the check date:
 *    published (3-year period: public, in the disclosure-end queue) or expired (3-month period, ended
 *    months ago: out of view). None of them is in a due-date queue. Plus N / 100 open cases in the
 *    case-limit queue, due over the next 90 days. Then the annual-report counters (`AGG#<year>`)
 *    are written as the product's transactions would have left them after all of it: the
 *    increments of `issueIncrements`, `disclosureDue`, `disclosureOnTime`, `licensingApplied` and
 *    the review counters, summed per agency and year.
 *    The smaller set is loaded and measured, then topped up to the larger one (records 0…N−1 are
 *    the same at every size, `decision-data.ts`).
 * 4. `deadlineCheck(date, { act: false })` (`GET /compliance/deadlines`) and `buildReport(2025, …)`,
 *    in-process, through the shared document client, with a middleware that counts every Query
 *    (`ScannedCount`) and GetItem per key partition, with the consumed capacity DynamoDB Local
 *    reports. Then `renderReportPdf` and `renderReportXlsx` of the built report.
 */
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../shared/aws/clients.ts';
import type { Operation } from '../shared/aws/dynamodb.ts';
import { tableName } from '../shared/aws/env.ts';
import type { TableId } from '../shared/manifest.ts';
import type { Agency } from '../shared/domain/agency.ts';
import type { Case } from '../shared/domain/case.ts';
import { yearOf } from '../shared/domain/dates.ts';
import { disclosurePeriod, PUBLICATION_WORKING_DAYS, reviewScope } from '../shared/domain/decision.ts';
import type { PenaltyType } from '../shared/domain/decision.ts';
import { draftHash } from '../shared/domain/decision-record.ts';
import type { Decision, DecisionDraft, PublicationDue } from '../shared/domain/decision-record.ts';
import type { PublicDecision } from '../shared/domain/disclosure.ts';
import type { DeadlineItem } from '../shared/domain/deadlines.ts';
import type { Evidence } from '../shared/domain/evidence.ts';
import type { Officer } from '../shared/domain/officer.ts';
import { COUNTERS, issueIncrements } from '../shared/domain/report-aggregates.ts';
import type { Increments } from '../shared/domain/report-aggregates.ts';
import type { Review } from '../shared/domain/review-record.ts';
import { addCalendarDays, addMonths, addWorkingDays } from '../shared/domain/working-days.ts';
import { renderReportPdf } from '../shared/report/render-pdf.ts';
import { renderReportXlsx } from '../shared/report/render-xlsx.ts';
import { buildReport } from '../shared/services/annual-report.ts';
import { deadlineCheck, WARN } from '../shared/services/deadlines.ts';
import { putDecision, putNewCase } from '../shared/store/cases.ts';
import { publishWrites, removeFromViewWrites } from '../shared/store/disclosures.ts';
import { putEvidence } from '../shared/store/evidence.ts';
import { putNewAgency, putNewOfficer } from '../shared/store/registry.ts';
import { putReview } from '../shared/store/reviews.ts';
import type { Write } from '../shared/store/transact.ts';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  applyLocalEnvironment,
  localEnvironment,
  startEmbeddedServices,
  type EmbeddedServices,
} from '../local/services.ts';
import { isAlive } from '../local/lock.ts';
import { AGENCIES, SURNAMES, rngFor, syntheticDecision, type BenchAgency, type Rng } from './decision-data.ts';
import { dynamoDbJavaProcesses, newJavaSince } from './latency.ts';
import { percentile, round } from './stats.ts';

// ---------------------------------------------------------------------------------------------
// Dates

/** The check's date: holiday data exists through 2026, so every working-day count works. */
export const CHECK_DATE = '2026-11-26';
/** 08:00 Asia/Shanghai on the check date, when the schedule runs it. */
const CHECK_NOW = new Date('2026-11-26T00:00:00Z');
/** The report's year: every one of the N decisions is dated in it. */
export const REPORT_YEAR = 2025;
/** 5 January, 09:00 Asia/Shanghai: when the draft is built. */
const REPORT_NOW = new Date(`${REPORT_YEAR + 1}-01-05T01:00:00Z`);

const PUBLICATION_LIMIT = addWorkingDays(CHECK_DATE, WARN.publicationWorkingDays).dueDate;
const OPINION_LIMIT = addWorkingDays(CHECK_DATE, WARN.reviewOpinionWorkingDays).dueDate;
const CASE_LIMIT = addCalendarDays(CHECK_DATE, WARN.caseLimitDays);
const YESTERDAY = addCalendarDays(CHECK_DATE, -1);

// ---------------------------------------------------------------------------------------------
// Options and results

export interface DeadlineBenchOptions {
  /** Decisions stored, ascending; each larger set extends the smaller one. */
  readonly sizes: readonly number[];
  /** Measured runs of the check per size (after WARM_UP unmeasured ones). */
  readonly checkRuns: number;
  /** Measured builds (and renders) of the report per size. */
  readonly reportRuns: number;
  readonly log?: (line: string) => void;
}

/** What one key partition (or one kind of GetItem) cost in one run. */
export interface OperationStats {
  readonly label: string;
  readonly trips: number;
  /** Query: ScannedCount; GetItem: 1 per item found. */
  readonly itemsRead: number;
  readonly returned: number;
  /** ConsumedCapacity.CapacityUnits as DynamoDB Local reports it (null if it reports none). */
  readonly capacityUnits: number | null;
  /** Mean over the measured runs of the time spent in these calls (client side, ms). */
  readonly meanMs: number;
}

export interface Timing {
  readonly runs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly samplesMs: readonly number[];
}

export interface CheckStats extends Timing {
  readonly itemsRead: number;
  readonly roundTrips: number;
  readonly capacityUnits: number | null;
  readonly operations: readonly OperationStats[];
  /** Items the check listed, by kind, and what the data makes due. */
  readonly listed: Readonly<Record<string, number>>;
  readonly expected: Readonly<Record<string, number>>;
  /** Items loaded into each index partition the check queries (tallied while loading). */
  readonly queueSizes: Readonly<Record<string, number>>;
}

export interface ReportStats {
  readonly build: Timing;
  readonly pdf: Timing;
  readonly xlsx: Timing;
  readonly itemsRead: number;
  readonly roundTrips: number;
  readonly capacityUnits: number | null;
  readonly operations: readonly OperationStats[];
  readonly pdfBytes: number;
  readonly xlsxBytes: number;
  /** Decisions the report's total counts (penalties + licensing outcomes + coercion + inspections + other). */
  readonly decisionsCounted: number;
  readonly penalties: number;
  readonly finesYuan: string;
  readonly disclosureOnTimePercent: number | null;
  readonly agencies: number;
  readonly officers: number;
}

export interface DeadlineSizeRun {
  readonly decisions: number;
  readonly openCases: number;
  /** Items per table after loading this size (fixed data included). */
  readonly itemsStored: Readonly<Record<string, number>>;
  readonly loadMs: number;
  readonly loadItemsPerS: number;
  readonly loadRetries: number;
  /** 1-minute load average when this size's measurements started (other work on the machine). */
  readonly loadAverage: number;
  readonly check: CheckStats;
  readonly report: ReportStats;
}

export interface DeadlineRun {
  readonly checkDate: string;
  readonly reportYear: number;
  readonly warmUp: number;
  readonly fixed: Readonly<Record<string, number>>;
  readonly startMs: number;
  readonly stopMs: number;
  readonly sizes: readonly DeadlineSizeRun[];
  readonly childPids: readonly number[];
  readonly survivingChildren: readonly number[];
  readonly newJavaAfterStop: readonly number[];
  readonly checks: readonly string[];
}

const WARM_UP = 3;
const LOAD_CONCURRENCY = 8;
const OPEN_CASE_SHARE = 100;
const FIXED = { issuedDue: 100, issuedLater: 50, endedYesterday: 20, withdrawals: 4, reviews: 6, uploads: 5, officersPerAgency: 3 } as const;

// ---------------------------------------------------------------------------------------------
// Counting what the store reads

interface OpCount {
  trips: number;
  read: number;
  returned: number;
  capacity: number;
  capacityReported: boolean;
  ms: number;
}

const ops = new Map<string, OpCount>();
let counterInstalled = false;

const plain = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'S' in v) return String((v as { S: unknown }).S);
  return String(v);
};

/** Query: table.index and the partition value; GetItem: table and the sort key (CASE, DECISION…). */
function labelOf(operation: Operation, input: Record<string, unknown>): string {
  const table = plain(input.TableName);
  if (operation === 'Query') {
    const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
    return `Query ${table}${input.IndexName ? `.${plain(input.IndexName)}` : ''} ${plain(values?.[':pk'])}`;
  }
  if (operation === 'GetItem') {
    const key = input.Key as Record<string, unknown> | undefined;
    return `GetItem ${table} ${plain(key?.sk)}`;
  }
  if (operation === 'BatchGetItem') {
    const tables = Object.keys((input.RequestItems as Record<string, unknown> | undefined) ?? {});
    return `BatchGetItem ${tables.join(',')}`;
  }
  return `${operation} ${table}`;
}

/** Counts every call through the shared document client, by label, with the capacity it consumed. */
function installReadCounter(): void {
  if (counterInstalled) return;
  counterInstalled = true;
  documentClient().intercept('benchDeadlineReadCounter', async ({ operation, input }, next) => {
    input.ReturnConsumedCapacity = 'TOTAL';
    const started = performance.now();
    const result = await next();
    const ms = performance.now() - started;
    const label = labelOf(operation, input);
    const raw = result as { ScannedCount?: number; Count?: number; Item?: unknown; Responses?: Record<string, unknown[]>; ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] };
    // BatchGetItem answers an array of capacities (one per table) and its items per table.
    const batch = operation === 'BatchGetItem';
    const found = batch ? Object.values(raw.Responses ?? {}).reduce((n, list) => n + list.length, 0) : 0;
    const capacityList = Array.isArray(raw.ConsumedCapacity) ? raw.ConsumedCapacity : undefined;
    const single = Array.isArray(raw.ConsumedCapacity) ? undefined : raw.ConsumedCapacity;
    const out = { ...raw, ConsumedCapacity: capacityList ? { CapacityUnits: capacityList.reduce((n, x) => n + (x.CapacityUnits ?? 0), 0) } : single };
    const c = ops.get(label) ?? { trips: 0, read: 0, returned: 0, capacity: 0, capacityReported: false, ms: 0 };
    c.trips += 1;
    c.ms += ms;
    if (operation === 'GetItem') {
      c.read += out.Item ? 1 : 0;
      c.returned += out.Item ? 1 : 0;
    } else if (batch) {
      c.read += found;
      c.returned += found;
    } else {
      c.read += out.ScannedCount ?? 0;
      c.returned += out.Count ?? 0;
    }
    if (typeof out.ConsumedCapacity?.CapacityUnits === 'number') {
      c.capacity += out.ConsumedCapacity.CapacityUnits;
      c.capacityReported = true;
    }
    ops.set(label, c);
    return result;
  });
}

function takeOps(): Map<string, OpCount> {
  const snapshot = new Map([...ops.entries()].map(([k, v]) => [k, { ...v }]));
  ops.clear();
  return snapshot;
}

// ---------------------------------------------------------------------------------------------
// Synthetic data

/** A deterministic v4-shaped UUID from a label. */
function uuidOf(label: string): string {
  const h = createHash('sha256').update(label).digest('hex');
  const variant = '89ab'[Number.parseInt(h[16] ?? '0', 16) % 4] ?? '8';
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const instant = (date: string, hour = 10): string => `${date}T${String(hour - 8).padStart(2, '0')}:00:00.000Z`;
const regionOf = (a: BenchAgency): string => a.name.replace('市场监督管理局', '');
const agencyById = new Map(AGENCIES.map((a) => [a.id, a] as const));

function agencyOf(a: BenchAgency): Agency {
  const level = a.id === 'sq-city' ? 'CITY' : a.name.endsWith('县市场监督管理局') ? 'COUNTY' : a.name.includes('区') ? 'DISTRICT' : 'DEVELOPMENT_ZONE';
  return {
    id: a.id,
    name: a.name,
    level,
    region: regionOf(a),
    parentId: a.id === 'sq-city' ? null : 'sq-city',
    version: 1,
    createdAt: '2024-01-02T01:00:00.000Z',
    updatedAt: '2024-01-02T01:00:00.000Z',
  };
}

const officerId = (agencyId: string, k: number): string => `off-${agencyId}-${k + 1}`;

/** Officer `o` (0-based over all agencies): certificates 0–2 fall in the check's window. */
function officerOf(a: BenchAgency, k: number, o: number): Officer {
  const rng = rngFor('deadline-officer', o);
  const validUntil =
    o === 0
      ? addCalendarDays(CHECK_DATE, -3) // ran out 3 days ago: listed for 7 days
      : o === 1
        ? addCalendarDays(CHECK_DATE, 10)
        : o === 2
          ? addCalendarDays(CHECK_DATE, 25)
          : o === 3
            ? addCalendarDays(CHECK_DATE, 45) // outside the 30-day window
            : addCalendarDays('2027-03-01', Math.floor(rng() * 900));
  const given = ['建国', '海燕', '志强', '丽华', '晓东', '文静', '国平', '春梅', '伟', '敏'];
  return {
    id: officerId(a.id, k),
    name: `${SURNAMES[o % 20] ?? '王'}${given[o % given.length] ?? '伟'}`,
    agencyId: a.id,
    certificateNo: `3213${String(100_001 + o).padStart(8, '0')}`,
    categories: ['市场监管'],
    region: regionOf(a),
    // One certificate suspended: out of the expiry queue.
    certificateStatus: o === 7 ? 'SUSPENDED' : 'VALID',
    validUntil,
    legalQualification: k === 0,
    reviewer: k === 0,
    training: [{ year: REPORT_YEAR, hours: rng() < 0.8 ? 40 + Math.floor(rng() * 20) : 24, course: '行政执法业务培训', completedOn: `${REPORT_YEAR}-11-15` }],
    certificateHistory: [],
    version: 1,
    createdAt: '2024-01-02T01:00:00.000Z',
    updatedAt: '2024-01-02T01:00:00.000Z',
  };
}

const PENALTY_OF: Readonly<Record<string, PenaltyType>> = { 警告: 'WARNING', 罚款: 'FINE', 没收违法所得: 'CONFISCATE_GAINS' };

/** The internal draft behind a synthetic public decision, dated `decisionDate`. */
function draftOf(p: PublicDecision, decisionDate: string, rng: Rng): DecisionDraft {
  const year = decisionDate.slice(0, 4);
  return {
    kind: p.kind,
    decisionNo: p.decisionNo.replace(/〔\d{4}〕/, `〔${year}〕`),
    procedure: 'GENERAL',
    conclusion: p.conclusion,
    penalties: p.penalties.map((label) => {
      const type = PENALTY_OF[label];
      if (!type) throw new Error(`unknown penalty label ${label}`);
      return type;
    }),
    fine: p.fine,
    confiscatedValue: p.confiscatedValue,
    ...(p.violationType ? { violationType: p.violationType } : {}),
    legalBasis: p.legalBasis,
    facts: `${year}年，执法人员依法对当事人进行检查，发现当事人${p.violationType ?? '存在相关情况'}。上述事实有现场检查笔录、询问笔录、进货凭证、照片等证据证实。`,
    discretion: 'GENERAL',
    hearingHeld: false,
    majorPublicInterest: false,
    complex: false,
    ...(p.kind === 'LICENSING' ? { licensingOutcome: rng() < 0.9 ? ('GRANTED' as const) : ('REFUSED' as const) } : {}),
    documentText: p.documentText.replace(/\d{4}-\d{2}-\d{2}$/, decisionDate).replace(/〔\d{4}〕/, `〔${year}〕`),
    thirdPartyNames: [],
    decisionDate,
  };
}

function publicationDueOf(draft: DecisionDraft): PublicationDue {
  const days = PUBLICATION_WORKING_DAYS[draft.kind];
  const due = addWorkingDays(draft.decisionDate, days);
  return { dueDate: due.dueDate, workingDays: days, rule: `自作出之日起 ${days} 个工作日内公示（D7）`, skipped: due.skipped, adjustedWorkdays: due.adjustedWorkdays };
}

interface Put {
  readonly table: TableId;
  readonly item: Record<string, unknown>;
}

interface Counted {
  readonly agencyId: string;
  readonly year: number;
  readonly increments: Increments;
}

interface Built {
  readonly puts: Put[];
  readonly counted: Counted[];
}

const put = (w: Write): Put => {
  if (w.kind !== 'put') throw new Error(`expected a put, got ${w.kind}`);
  return { table: w.table, item: w.item };
};

type DecisionState = 'ISSUED' | 'PUBLISHED';

/**
 * One decided case: its case item, its decision and, once published, its public record, as the
 * product's transactions leave them; with the counters those transactions add to.
 */
function decidedCase(
  caseId: string,
  p: PublicDecision,
  draft: DecisionDraft,
  state: DecisionState,
  publicationDate: string | undefined,
  rng: Rng,
  pendingWithdrawal?: Decision['pendingWithdrawal'],
): Built {
  const agency = agencyById.get(p.agencyId);
  if (!agency) throw new Error(`no agency ${p.agencyId}`);
  const filingDate = addCalendarDays(draft.decisionDate, -(10 + Math.floor(rng() * 70)));
  const k = Math.floor(rng() * FIXED.officersPerAgency);
  const c: Case = {
    id: caseId,
    caseNo: `${agency.id.toUpperCase()}-${yearOf(filingDate)}-${createHash('sha256').update(caseId).digest('hex').slice(0, 6)}`,
    agencyId: agency.id,
    enforcementType: draft.kind,
    powerCode: `3213-${draft.kind}-0001`,
    powerVersionNo: 1,
    powerName: p.violationType ?? '依法履行职责',
    category: '市场监管',
    party: { kind: p.party.kind, name: p.party.name, ...(p.party.creditCode ? { creditCode: p.party.creditCode } : {}) },
    handlingOfficerIds: [officerId(agency.id, k), officerId(agency.id, (k + 1) % FIXED.officersPerAgency)],
    filingDate,
    summary: `涉嫌${p.violationType ?? '违法行为'}`,
    decisionDueDate: addCalendarDays(filingDate, 90),
    extensions: [],
    status: 'DECIDED',
    createdBy: 'bench',
    version: 2,
    createdAt: instant(filingDate),
    updatedAt: instant(draft.decisionDate),
  };
  const due = publicationDueOf(draft);
  const scope = reviewScope(draft, p.party.kind);
  const counted: Counted[] = [
    { agencyId: agency.id, year: yearOf(draft.decisionDate), increments: issueIncrements(draft) },
    { agencyId: agency.id, year: yearOf(due.dueDate), increments: { disclosureDue: 1 } },
  ];
  if (draft.kind === 'LICENSING') counted.push({ agencyId: agency.id, year: yearOf(filingDate), increments: { licensingApplied: 1 } });
  if (scope.inScope) {
    counted.push({ agencyId: agency.id, year: yearOf(draft.decisionDate), increments: { reviewsDone: 1, reviewsPassed: 1, ...(rng() < 0.1 ? { reviewsReturned: 1 } : {}) } });
  }
  const base = {
    caseId,
    publicId: p.id,
    draft,
    draftHash: draftHash(draft),
    scope,
    publicationDue: due,
    issuedAt: instant(draft.decisionDate, 15),
    issuedBy: '承办人',
    corrections: [],
    createdAt: instant(addCalendarDays(draft.decisionDate, -3)),
  };
  if (state === 'ISSUED' || !publicationDate) {
    const decision: Decision = { ...base, status: 'ISSUED', version: 3, updatedAt: base.issuedAt };
    return { puts: [put(putNewCase(c)), put(putDecision(decision, 0))], counted };
  }
  const period = disclosurePeriod(draft);
  const endsOn = addMonths(publicationDate, period.months);
  // Ended before yesterday: an earlier daily run took it out of view (EXPIRED, kept internally).
  const expired = endsOn < YESTERDAY;
  const record: PublicDecision = { ...p, decisionNo: draft.decisionNo ?? '', documentText: draft.documentText ?? '', decisionDate: draft.decisionDate, publicationDate, disclosureEndsOn: endsOn };
  const decision: Decision = {
    ...base,
    status: expired ? 'EXPIRED' : 'PUBLISHED',
    version: expired ? 5 : 4,
    publishedAt: instant(publicationDate, 11),
    publicationDate,
    disclosure: { ...period, endsOn },
    publicVersion: 1,
    ...(pendingWithdrawal ? { pendingWithdrawal } : {}),
    updatedAt: instant(expired ? endsOn : publicationDate, 11),
  };
  if (publicationDate <= due.dueDate) counted.push({ agencyId: agency.id, year: yearOf(due.dueDate), increments: { disclosureOnTime: 1 } });
  const publicItem = expired ? removeFromViewWrites(record, 'EXPIRED', {})[0] : publishWrites(record, 0)[0];
  if (!publicItem) throw new Error('no CURRENT write');
  return { puts: [put(putNewCase(c)), put(putDecision(decision, 0)), put(publicItem)], counted };
}

/** Stored decision `i` (0-based) of the report year, published on time or nearly, as it stands on the check date. */
function storedDecision(i: number): Built {
  const p = syntheticDecision(i);
  const rng = rngFor('deadline-decision', i);
  const decisionDate = addCalendarDays(`${REPORT_YEAR}-01-01`, Math.floor(rng() * 365));
  const draft = draftOf(p, decisionDate, rng);
  // Published 1–10 calendar days after the decision: a few miss a 7-working-day deadline.
  const publicationDate = addCalendarDays(decisionDate, 1 + Math.floor(rng() * 10));
  return decidedCase(uuidOf(`case:${i}`), p, draft, 'PUBLISHED', publicationDate, rng);
}

/** Open case `k`: in the case-limit queue, due over the next 90 days. */
function openCase(k: number): Built {
  const p = syntheticDecision(2_000_000 + k);
  const agency = agencyById.get(p.agencyId);
  if (!agency) throw new Error(`no agency ${p.agencyId}`);
  const decisionDueDate = addCalendarDays(CHECK_DATE, k % 90);
  const filingDate = addCalendarDays(decisionDueDate, -90);
  const c: Case = {
    id: uuidOf(`open:${k}`),
    caseNo: `${agency.id.toUpperCase()}-${yearOf(filingDate)}-O${String(k + 1).padStart(6, '0')}`,
    agencyId: agency.id,
    enforcementType: p.kind,
    powerCode: `3213-${p.kind}-0001`,
    powerVersionNo: 1,
    powerName: p.violationType ?? '依法履行职责',
    category: '市场监管',
    party: { kind: p.party.kind, name: p.party.name, ...(p.party.creditCode ? { creditCode: p.party.creditCode } : {}) },
    handlingOfficerIds: [officerId(agency.id, 0), officerId(agency.id, 1)],
    filingDate,
    summary: `涉嫌${p.violationType ?? '违法行为'}`,
    decisionDueDate,
    extensions: [],
    status: 'OPEN',
    createdBy: 'bench',
    version: 1,
    createdAt: instant(filingDate),
    updatedAt: instant(filingDate),
  };
  const counted: Counted[] = p.kind === 'LICENSING' ? [{ agencyId: agency.id, year: yearOf(filingDate), increments: { licensingApplied: 1 } }] : [];
  return { puts: [put(putNewCase(c))], counted };
}

/** Synthetic decisions past the stored ones (from 1,000,000) that satisfy `accept`. */
function* sourcesWhere(label: string, accept: (p: PublicDecision) => boolean): Generator<{ p: PublicDecision; rng: Rng; n: number }> {
  for (let n = 1_000_000; ; n++) {
    const p = syntheticDecision(n);
    if (accept(p)) yield { p, rng: rngFor(label, n), n };
  }
}

/** The data every size shares, and what of it the check should list. */
function fixedData(): { built: Built; expected: Record<string, number> } {
  const puts: Put[] = [];
  const counted: Counted[] = [];
  const add = (b: Built): void => {
    puts.push(...b.puts);
    counted.push(...b.counted);
  };
  AGENCIES.forEach((a, ai) => {
    puts.push(put(putNewAgency(agencyOf(a))));
    for (let k = 0; k < FIXED.officersPerAgency; k++) puts.push(put(putNewOfficer(officerOf(a, k, ai * FIXED.officersPerAgency + k))));
  });
  // Penalties (7 working days to publish), so a decision date sets the due date.
  const penalties = sourcesWhere('deadline-fixed', (p) => p.kind === 'PENALTY');
  // 100 issued, unpublished decisions due between 7 days ago and the end of the window.
  for (let j = 0; j < FIXED.issuedDue; j++) {
    const { p, rng, n } = penalties.next().value as { p: PublicDecision; rng: Rng; n: number };
    const draft = draftOf(p, addCalendarDays('2026-11-19', -(j % 10)), rng);
    const due = publicationDueOf(draft).dueDate;
    if (due > PUBLICATION_LIMIT) throw new Error(`fixed decision ${j} due ${due}, after ${PUBLICATION_LIMIT}`);
    add(decidedCase(uuidOf(`issued:${n}`), p, draft, 'ISSUED', undefined, rng));
  }
  // 50 issued in the last days, due after the window: in the queue, outside the key range read.
  for (let j = 0; j < FIXED.issuedLater; j++) {
    const { p, rng, n } = penalties.next().value as { p: PublicDecision; rng: Rng; n: number };
    const draft = draftOf(p, addCalendarDays('2026-11-23', j % 4), rng);
    const due = publicationDueOf(draft).dueDate;
    if (due <= PUBLICATION_LIMIT) throw new Error(`fixed later decision ${j} due ${due}, within ${PUBLICATION_LIMIT}`);
    add(decidedCase(uuidOf(`issued:${n}`), p, draft, 'ISSUED', undefined, rng));
  }
  // 20 public records whose 3-month period ended yesterday: today's run takes them down.
  const short = sourcesWhere('deadline-short', (p) => p.kind === 'PENALTY' && disclosurePeriod({ kind: 'PENALTY', penalties: p.penalties.map((l) => PENALTY_OF[l] ?? 'OTHER'), fine: p.fine }).months === 3);
  const publishedOn = '2026-08-25';
  if (addMonths(publishedOn, 3) !== YESTERDAY) throw new Error(`a 3-month period from ${publishedOn} does not end ${YESTERDAY}`);
  for (let j = 0; j < FIXED.endedYesterday; j++) {
    const { p, rng, n } = short.next().value as { p: PublicDecision; rng: Rng; n: number };
    const draft = draftOf(p, '2026-08-20', rng);
    add(decidedCase(uuidOf(`ended:${n}`), p, draft, 'PUBLISHED', publishedOn, rng));
  }
  // Published decisions changed in the last days (N4): withdrawal due within 3 working days.
  for (let j = 0; j < FIXED.withdrawals; j++) {
    const { p, rng, n } = penalties.next().value as { p: PublicDecision; rng: Rng; n: number };
    const draft = draftOf(p, '2026-10-12', rng);
    const changedOn = addCalendarDays('2026-11-23', j);
    const pending = { ground: 'CHANGED', changedOn, reason: '复议决定变更', at: instant(changedOn, 16), by: '法制审核人员', dueDate: addWorkingDays(changedOn, 3).dueDate };
    add(decidedCase(uuidOf(`changed:${n}`), p, draft, 'PUBLISHED', '2026-10-14', rng, pending));
  }
  // Reviews waiting in a person's step: opinions due yesterday, tomorrow and next week, and three waiting for materials.
  for (let r = 0; r < FIXED.reviews; r++) {
    const a = AGENCIES[r % AGENCIES.length] as BenchAgency;
    const opinionDueDate = r === 0 ? YESTERDAY : r === 1 ? OPINION_LIMIT : r === 2 ? addCalendarDays(CHECK_DATE, 7) : undefined;
    const review: Review = {
      id: uuidOf(`review:${r}`),
      caseId: uuidOf(`open:${r}`),
      caseNo: `${a.id.toUpperCase()}-2026-R${r + 1}`,
      agencyId: a.id,
      draftHash: createHash('sha256').update(`draft:${r}`).digest('hex'),
      decisionNo: `${a.abbr}处罚〔2026〕R${r + 1}号`,
      status: 'IN_PROGRESS',
      step: opinionDueDate ? 'AwaitOpinion' : 'AwaitMaterials',
      taskToken: `bench-task-token-${r}`,
      scope: { inScope: true, matched: [{ rule: 'GENERAL_PROCEDURE_PENALTY', label: '适用一般程序的行政处罚' }], collectiveDiscussion: false },
      materials: ['决定书草稿', '调查终结报告'],
      missing: opinionDueDate ? [] : ['听证笔录'],
      ...(opinionDueDate ? { reviewerId: officerId(a.id, 0), reviewerName: '审核人', opinionDueDate } : {}),
      assignments: [],
      opinions: [],
      supplements: [],
      coordination: [],
      discussions: [],
      escalations: [],
      submittedBy: '承办人',
      submittedById: officerId(a.id, 1),
      submittedAt: instant(addCalendarDays(CHECK_DATE, -5)),
      version: 2,
      updatedAt: instant(addCalendarDays(CHECK_DATE, -4)),
    };
    puts.push(put(putReview(review, 0)));
  }
  // Uploads not sealed: three started 30 hours before the check (abandoned), two 2 hours before.
  for (let e = 0; e < FIXED.uploads; e++) {
    const a = AGENCIES[e % AGENCIES.length] as BenchAgency;
    const createdAt = new Date(CHECK_NOW.getTime() - (e < 3 ? 30 : 2) * 3_600_000).toISOString();
    const id = uuidOf(`evidence:${e}`);
    const evidence: Evidence = {
      id,
      caseId: uuidOf(`open:${e}`),
      caseNo: `${a.id.toUpperCase()}-2026-E${e + 1}`,
      agencyId: a.id,
      mediaType: 'VIDEO',
      fileName: `DEMO-CAM-0001_${e + 1}.mp4`,
      contentType: 'video/mp4',
      sizeBytes: 512 * 2 ** 20,
      sha256: createHash('sha256').update(id).digest('hex'),
      capturedAt: createdAt,
      capturePlace: { text: `${regionOf(a)}某超市` },
      collectorOfficerId: officerId(a.id, 0),
      collectorName: '执法人员',
      proves: '现场检查情况',
      deviceId: 'bench-device',
      deviceSerial: 'DEMO-CAM-0001',
      objectKey: `evidence/${id}`,
      s3UploadId: `upload-${e}`,
      partSize: 16 * 2 ** 20,
      partCount: 32,
      status: 'UPLOADING',
      version: 1,
      createdAt,
      updatedAt: createdAt,
    };
    puts.push(put(putEvidence(evidence, 0)));
  }
  const expected = {
    PUBLICATION: FIXED.issuedDue,
    WITHDRAWAL: FIXED.withdrawals,
    REVIEW_OPINION: 2,
    CERTIFICATE: 3,
    DISCLOSURE_ENDED: FIXED.endedYesterday,
    UPLOAD_ABANDONED: 3,
  };
  return { built: { puts, counted }, expected };
}

/** Open cases among the first `count` whose decision is due by the end of the 7-day window. */
function expectedCaseLimit(count: number): number {
  let n = 0;
  for (let k = 0; k < count; k++) if (addCalendarDays(CHECK_DATE, k % 90) <= CASE_LIMIT) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Counters, as the transactions leave them

type Sums = Map<string, { agencyId: string; year: number; values: Record<string, number> }>;

function addCounted(sums: Sums, counted: readonly Counted[]): void {
  for (const c of counted) {
    const key = `${c.year}|${c.agencyId}`;
    const entry = sums.get(key) ?? { agencyId: c.agencyId, year: c.year, values: {} };
    for (const [name, n] of Object.entries(c.increments)) {
      if (n === undefined || n === 0) continue; // addToAggregate never writes a zero increment
      entry.values[name] = (entry.values[name] ?? 0) + n;
    }
    sums.set(key, entry);
  }
}

/** The AGG items (pk AGG#<year>, sk AGENCY#<id>): what SET agencyId, year ADD <counters> leaves. */
function counterItems(sums: Sums): Put[] {
  const known = new Set<string>(COUNTERS);
  return [...sums.values()].map((s) => {
    for (const name of Object.keys(s.values)) if (!known.has(name)) throw new Error(`unknown counter ${name}`);
    return { table: 'Cases' as const, item: { pk: `AGG#${s.year}`, sk: `AGENCY#${s.agencyId}`, agencyId: s.agencyId, year: s.year, ...s.values } };
  });
}

// ---------------------------------------------------------------------------------------------
// Loading

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface LoadResult {
  readonly items: number;
  readonly ms: number;
  readonly retries: number;
  readonly byTable: Record<string, number>;
}

/** Puts from `source` with BatchWriteItem, 25 a request (tables mixed), LOAD_CONCURRENCY in flight. */
async function loadPuts(client: DynamoDBDocumentClient, source: Iterator<Put>, total: number, say: (line: string) => void): Promise<LoadResult> {
  const started = performance.now();
  let written = 0;
  let retries = 0;
  let shownPct = 0;
  const byTable: Record<string, number> = {};
  const nextBatch = (): Put[] | undefined => {
    const batch: Put[] = [];
    while (batch.length < 25) {
      const r = source.next();
      if (r.done) break;
      batch.push(r.value);
    }
    return batch.length > 0 ? batch : undefined;
  };
  const writeBatch = async (batch: Put[]): Promise<void> => {
    let requestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
    for (const p of batch) (requestItems[tableName(p.table)] ??= []).push({ PutRequest: { Item: p.item } });
    for (let attempt = 0; ; attempt++) {
      const res = await client.send(new BatchWriteCommand({ RequestItems: requestItems }));
      const left = res.UnprocessedItems ?? {};
      const sent = Object.values(requestItems).reduce((n, l) => n + l.length, 0);
      const notDone = Object.values(left).reduce((n, l) => n + l.length, 0);
      written += sent - notDone;
      for (const [table, list] of Object.entries(requestItems)) byTable[table] = (byTable[table] ?? 0) + list.length - (left[table]?.length ?? 0);
      if (notDone === 0) return;
      if (attempt >= 20) throw new Error(`BatchWriteItem: ${notDone} items still unprocessed after 20 retries`);
      retries++;
      requestItems = Object.fromEntries(Object.entries(left).map(([t, l]) => [t, l.map((r) => ({ PutRequest: { Item: r.PutRequest?.Item ?? {} } }))]));
      await delay(Math.min(1000, 20 * 2 ** attempt));
    }
  };
  const worker = async (): Promise<void> => {
    for (let batch = nextBatch(); batch; batch = nextBatch()) {
      await writeBatch(batch);
      const pct = total > 0 ? Math.floor((written / total) * 10) * 10 : 0;
      if (total >= 1000 && pct > shownPct && pct < 100) {
        shownPct = pct;
        const s = (performance.now() - started) / 1000;
        say(`  ${pct}% (${written.toLocaleString('en')} items, ${Math.round(written / s)} items/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, () => worker()));
  return { items: written, ms: performance.now() - started, retries, byTable };
}

/** Items of one generator of Built records, their counters summed into `sums` as they go. */
/** Items loaded per index partition, labelled as the read counter labels queries (`Cases.gsi3 DUE#…`). */
type Tally = Map<string, number>;

function* putsOf(records: Iterable<Built>, sums: Sums, tally: Tally): Generator<Put> {
  for (const b of records) {
    addCounted(sums, b.counted);
    for (const p of b.puts) {
      for (const n of [1, 2, 3]) {
        const value = p.item[`gsi${n}pk`];
        if (typeof value === 'string') {
          const label = `${tableName(p.table)}.gsi${n} ${value}`;
          tally.set(label, (tally.get(label) ?? 0) + 1);
        }
      }
    }
    yield* b.puts;
  }
}

function* range(from: number, to: number, make: (i: number) => Built): Generator<Built> {
  for (let i = from; i < to; i++) yield make(i);
}

/**
 * Items in each index partition a run queried. Tallied from what was loaded rather than counted with
 * Select COUNT: DynamoDB Local pages a COUNT by 1 MB of items and got slower per page as the partition
 * grew, so counting the 91,000-item disclosure-end partition took several minutes.
 */
function partitionSizes(tally: Tally, list: readonly OperationStats[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of list) {
    const m = /^Query (\w+\.gsi\d) (.+)$/.exec(o.label);
    if (m) out[`${m[1]} ${m[2]}`] = tally.get(`${m[1]} ${m[2]}`) ?? 0;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Measuring

function timing(samples: readonly number[]): Timing {
  return {
    runs: samples.length,
    p50Ms: round(percentile(samples, 50), 1),
    p90Ms: round(percentile(samples, 90), 1),
    minMs: round(Math.min(...samples), 1),
    maxMs: round(Math.max(...samples), 1),
    samplesMs: samples.map((v) => round(v, 1)),
  };
}

/**
 * Per-label figures of the measured runs: counts must be the same in every run (they are checked),
 * times are averaged. GetItems of one kind are one line.
 */
function operations(runs: readonly Map<string, OpCount>[], checks: string[], what: string): OperationStats[] {
  const first = runs[0];
  if (!first) return [];
  for (const [i, r] of runs.entries()) {
    for (const [label, c] of first) {
      const o = r.get(label);
      if (!o || o.read !== c.read || o.trips !== c.trips) checks.push(`${what}: run ${i} read ${o?.read ?? 0} items in ${o?.trips ?? 0} trips for ${label}, run 0 ${c.read} in ${c.trips}`);
    }
  }
  return [...first.entries()].map(([label, c]) => ({
    label,
    trips: c.trips,
    itemsRead: c.read,
    returned: c.returned,
    capacityUnits: c.capacityReported ? round(c.capacity, 1) : null,
    meanMs: round(runs.reduce((s, r) => s + (r.get(label)?.ms ?? 0), 0) / runs.length, 2),
  }));
}

const totals = (list: readonly OperationStats[]) => ({
  itemsRead: list.reduce((s, o) => s + o.itemsRead, 0),
  roundTrips: list.reduce((s, o) => s + o.trips, 0),
  capacityUnits: list.every((o) => o.capacityUnits === null) ? null : round(list.reduce((s, o) => s + (o.capacityUnits ?? 0), 0), 1),
});

function countByKind(items: readonly DeadlineItem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i.kind] = (out[i.kind] ?? 0) + 1;
  return out;
}

async function measureCheck(tally: Tally, runs: number, expected: Record<string, number>, checks: string[], size: number): Promise<CheckStats> {
  for (let w = 0; w < WARM_UP; w++) await deadlineCheck(CHECK_DATE, { act: false, now: CHECK_NOW });
  takeOps();
  const samples: number[] = [];
  const reads: Map<string, OpCount>[] = [];
  let listed: Record<string, number> = {};
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const run = await deadlineCheck(CHECK_DATE, { act: false, now: CHECK_NOW });
    samples.push(performance.now() - started);
    reads.push(takeOps());
    listed = countByKind(run.items);
  }
  for (const [kind, n] of Object.entries(expected)) {
    if ((listed[kind] ?? 0) !== n) checks.push(`${size}: the check listed ${listed[kind] ?? 0} ${kind} items, the data has ${n} due`);
  }
  for (const kind of Object.keys(listed)) if (!(kind in expected)) checks.push(`${size}: the check listed unexpected ${kind} items (${listed[kind]})`);
  const list = operations(reads, checks, `${size} check`);
  return { ...timing(samples), ...totals(list), operations: list, listed, expected, queueSizes: partitionSizes(tally, list) };
}

async function measureReport(runs: number, checks: string[], size: number): Promise<ReportStats> {
  for (let w = 0; w < Math.min(WARM_UP, 2); w++) await buildReport(REPORT_YEAR, 1, REPORT_NOW);
  takeOps();
  const samples: number[] = [];
  const reads: Map<string, OpCount>[] = [];
  let report = await buildReport(REPORT_YEAR, 1, REPORT_NOW);
  takeOps();
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    report = await buildReport(REPORT_YEAR, 1, REPORT_NOW);
    samples.push(performance.now() - started);
    reads.push(takeOps());
  }
  // Rendering: one unmeasured render of each warms the font and the libraries.
  let pdf = await renderReportPdf(report);
  let xlsx = await renderReportXlsx(report);
  const pdfMs: number[] = [];
  const xlsxMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    let started = performance.now();
    pdf = await renderReportPdf(report);
    pdfMs.push(performance.now() - started);
    started = performance.now();
    xlsx = await renderReportXlsx(report);
    xlsxMs.push(performance.now() - started);
  }
  const t = report.total;
  const decisionsCounted = t.penalties.total + t.licensing.granted + t.licensing.refused + t.licensing.revoked + t.coerciveMeasures + t.inspections + t.otherActs;
  if (decisionsCounted !== size) checks.push(`${size}: the ${REPORT_YEAR} report counts ${decisionsCounted} decisions, ${size} are stored for the year`);
  const list = operations(reads, checks, `${size} report`);
  return {
    build: timing(samples),
    pdf: timing(pdfMs),
    xlsx: timing(xlsxMs),
    ...totals(list),
    operations: list,
    pdfBytes: pdf.length,
    xlsxBytes: xlsx.length,
    decisionsCounted,
    penalties: t.penalties.total,
    finesYuan: t.penalties.finesYuan,
    disclosureOnTimePercent: t.disclosure.onTimePercent,
    agencies: report.agencies.length,
    officers: t.officers.total,
  };
}

export async function measureDeadlines(options: DeadlineBenchOptions): Promise<DeadlineRun> {
  const say = options.log ?? (() => undefined);
  const sizes = [...options.sizes].sort((a, b) => a - b);
  if (sizes.length === 0) throw new Error('no table size given');
  const javaBefore = new Set(dynamoDbJavaProcesses().map((p) => p.pid));
  const checks: string[] = [];
  const serverLog: string[] = [];

  const startedAt = performance.now();
  const services: EmbeddedServices = await startEmbeddedServices({ log: (line) => serverLog.push(line) });
  let loader: DynamoDBDocumentClient | undefined;
  const runs: DeadlineSizeRun[] = [];
  try {
    // Before the first documentClient() call: the shared client reads its endpoint once.
    applyLocalEnvironment(localEnvironment(services));
    const startMs = performance.now() - startedAt;
    say(`DynamoDB Local in memory up in ${(startMs / 1000).toFixed(1)} s (children ${services.childPids.join(', ')})`);
    installReadCounter();
    loader = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: services.dynamodbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 5 }),
      { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } },
    );

    const sums: Sums = new Map();
    const tally: Tally = new Map();
    const stored: Record<string, number> = {};
    const addStored = (byTable: Record<string, number>): void => {
      for (const [t, n] of Object.entries(byTable)) stored[t] = (stored[t] ?? 0) + n;
    };
    const fixed = fixedData();
    say(`fixed data: 10 agencies, 30 officers, ${FIXED.issuedDue} + ${FIXED.issuedLater} issued decisions, ${FIXED.endedYesterday} ended disclosures, ${FIXED.withdrawals} withdrawals, ${FIXED.reviews} reviews, ${FIXED.uploads} uploads…`);
    addStored((await loadPuts(loader, putsOf([fixed.built], sums, tally), fixed.built.puts.length, say)).byTable);

    let loaded = 0;
    let openLoaded = 0;
    for (const size of sizes) {
      const open = Math.floor(size / OPEN_CASE_SHARE);
      const records = size - loaded;
      say(`loading decisions ${loaded.toLocaleString('en')}–${(size - 1).toLocaleString('en')} (case, decision, public record) and open cases ${openLoaded}–${open - 1}…`);
      const source = (function* () {
        yield* putsOf(range(loaded, size, storedDecision), sums, tally);
        yield* putsOf(range(openLoaded, open, openCase), sums, tally);
      })();
      const load = await loadPuts(loader, source, records * 3 + (open - openLoaded), say);
      addStored(load.byTable);
      // Counters last: rewritten whole, as they stand after every transaction so far.
      const counters = counterItems(sums);
      const written = await loadPuts(loader, counters[Symbol.iterator](), counters.length, say);
      addStored(written.byTable);
      loaded = size;
      openLoaded = open;
      const rate = Math.round(load.items / (load.ms / 1000));
      say(`  ${load.items.toLocaleString('en')} items in ${(load.ms / 1000).toFixed(1)} s (${rate} items/s, ${load.retries} retried batches); ${counters.length} counter items`);

      const expected = { ...fixed.expected, CASE_LIMIT: expectedCaseLimit(open) };
      say(`${size.toLocaleString('en')} decisions: deadline check, ${options.checkRuns} runs (+${WARM_UP} warm-up)…`);
      const loadAverage = round(loadavg()[0] ?? Number.NaN, 2);
      const check = await measureCheck(tally, options.checkRuns, expected, checks, size);
      say(`  p50 ${check.p50Ms} ms, ${check.itemsRead} items read in ${check.roundTrips} round trips`);
      say(`${size.toLocaleString('en')} decisions: annual report ${REPORT_YEAR}, ${options.reportRuns} builds and renders…`);
      const report = await measureReport(options.reportRuns, checks, size);
      say(`  build p50 ${report.build.p50Ms} ms (${report.itemsRead} items read), PDF ${report.pdf.p50Ms} ms, xlsx ${report.xlsx.p50Ms} ms`);
      runs.push({
        decisions: size,
        openCases: open,
        itemsStored: { ...stored },
        loadMs: round(load.ms, 0),
        loadItemsPerS: rate,
        loadRetries: load.retries,
        loadAverage,
        check,
        report,
      });
    }
    const stopping = performance.now();
    loader.destroy();
    loader = undefined;
    await services.stop();
    const stopMs = performance.now() - stopping;
    const survivingChildren = services.childPids.filter(isAlive);
    const newJavaAfterStop = newJavaSince(javaBefore, services.childPids);
    for (const line of serverLog.filter((l) => l.startsWith('ERROR')).slice(0, 10)) checks.push(`server: ${line}`);
    return {
      checkDate: CHECK_DATE,
      reportYear: REPORT_YEAR,
      warmUp: WARM_UP,
      fixed: { agencies: AGENCIES.length, officers: AGENCIES.length * FIXED.officersPerAgency, ...FIXED },
      startMs: round(startMs, 0),
      stopMs: round(stopMs, 0),
      sizes: runs,
      childPids: services.childPids,
      survivingChildren,
      newJavaAfterStop,
      checks,
    };
  } finally {
    loader?.destroy();
    await services.stop();
  }
}
