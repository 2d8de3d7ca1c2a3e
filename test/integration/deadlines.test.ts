/**
 * The daily deadline check (D7, D5, N5, N11) with the real stores: what a county bureau's leader sees in
 * `GET /compliance/deadlines`, and what the scheduled run does and sends (the local inbox stands in for
 * the SNS topic). Dates stay within 2026, the last year with official holiday data.
 */
import { readFile } from 'node:fs/promises';
import { GetCommand, PutCommand } from '../../shared/aws/dynamodb.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { createPower, emfLines, metricNames, startApi, uniqueId, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let agencyId: string;
const officerIds: string[] = [];
const powerCode = uniqueId('DL').toUpperCase();
let certSeq = 0;

interface Item {
  kind: string;
  state: string;
  subjectId: string;
  dueDate: string;
  daysLeft: number;
  workingDaysLeft?: number;
  text: string;
}
interface Deadlines {
  date: string;
  items: Item[];
}

async function newOfficer(extra: Record<string, unknown> = {}) {
  const res = await api.fetchJson<{ id: string; version: number }>('/officers', {
    token: admin,
    json: { name: '期限测试员', agencyId, certificateNo: `6${String(Date.now()).slice(-7)}${String(++certSeq).padStart(3, '0')}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31', ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function openCase(filingDate: string) {
  const body = '91321302MA1DL0001';
  const res = await api.fetchJson<{ id: string; caseNo: string; decisionDueDate: string }>('/cases', {
    token: officer,
    json: { agencyId, enforcementType: 'PENALTY', powerCode, party: { kind: 'ORG', name: '期限测试公司', creditCode: body + creditCodeCheckChar(body), address: '测试市测试路1号' }, handlingOfficerIds: officerIds.slice(0, 2), filingDate, summary: '期限测试' },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function issueWarning(caseId: string, decisionDate: string) {
  const draft = await api.fetchJson<{ version: number }>(`/cases/${caseId}/decision`, {
    method: 'PUT',
    token: officer,
    json: { version: 0, kind: 'PENALTY', decisionNo: `期限〔2026〕${uniqueId('n')}号`, procedure: 'SIMPLE', conclusion: '给予警告', penalties: ['WARNING'], legalBasis: '《食品安全法》第一百二十四条', facts: '经营过期食品', documentText: '期限测试公司经营过期食品，决定给予警告。', decisionDate },
  });
  expect(draft.status, draft.text).toBe(200);
  const issued = await api.fetchJson<{ version: number; publicationDue: { dueDate: string }; publicId: string }>(`/cases/${caseId}/decision/issue`, { token: leader, json: { version: draft.body.version } });
  expect(issued.status, issued.text).toBe(200);
  return issued.body;
}

const deadlines = (date: string, token = leader, agency = agencyId) => api.fetchJson<Deadlines & { error: { code: string } }>(`/compliance/deadlines?date=${date}&agencyId=${agency}`, { token });

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin']);
  agencyId = uniqueId('dl');
  officer = await api.token(['officer'], { agencyId });
  leader = await api.token(['leader'], { agencyId });
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `期限测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  for (let i = 0; i < 2; i++) officerIds.push((await newOfficer()).id);
  const power = await createPower(api, admin, powerCode, agencyId, { name: '期限测试处罚事项' });
  expect(power.status, power.text).toBe(201);
});
afterAll(async () => api.stop());

describe('GET /compliance/deadlines', () => {
  it('lists publication due within 2 working days and overdue, with working days left', async () => {
    const c = await openCase('2026-11-02');
    const issued = await issueWarning(c.id, '2026-11-20');
    expect(issued.publicationDue.dueDate).toBe('2026-12-01');

    expect((await deadlines('2026-11-25')).body.items.filter((i) => i.subjectId === c.id && i.kind === 'PUBLICATION')).toEqual([]);
    const soon = (await deadlines('2026-11-27')).body.items.find((i) => i.subjectId === c.id && i.kind === 'PUBLICATION');
    // Friday 27 Nov: Monday 30 Nov and Tuesday 1 Dec are left.
    expect(soon).toMatchObject({ state: 'DUE_SOON', dueDate: '2026-12-01', workingDaysLeft: 2, daysLeft: 4 });
    const late = (await deadlines('2026-12-03')).body.items.find((i) => i.subjectId === c.id && i.kind === 'PUBLICATION');
    expect(late).toMatchObject({ state: 'OVERDUE', workingDaysLeft: -2 });
    expect(late?.text).toContain('已逾期 2 个工作日');
  });

  it('lists open cases near or past the 90-day limit, and certificates expiring or just expired', async () => {
    const c = await openCase('2026-09-01');
    expect(c.decisionDueDate).toBe('2026-11-30');
    const expiring = await newOfficer({ validUntil: '2026-12-20' });
    const expired = await newOfficer({ validUntil: '2026-11-23' });
    const far = await newOfficer({ validUntil: '2027-06-30' });

    const items = (await deadlines('2026-11-26')).body.items;
    expect(items.find((i) => i.subjectId === c.id)).toMatchObject({ kind: 'CASE_LIMIT', state: 'DUE_SOON', daysLeft: 4 });
    expect(items.find((i) => i.subjectId === expiring.id)).toMatchObject({ kind: 'CERTIFICATE', state: 'DUE_SOON', daysLeft: 24 });
    expect(items.find((i) => i.subjectId === expired.id)).toMatchObject({ kind: 'CERTIFICATE', state: 'OVERDUE', daysLeft: -3 });
    expect(items.find((i) => i.text.includes('不能再从事执法活动'))?.subjectId).toBe(expired.id);
    expect(items.some((i) => i.subjectId === far.id)).toBe(false);
    expect((await deadlines('2026-12-02')).body.items.find((i) => i.subjectId === c.id)).toMatchObject({ state: 'OVERDUE', daysLeft: -2 });

    // A suspended certificate is not waiting to expire: it leaves the queue.
    const suspended = await api.fetchJson(`/officers/${expiring.id}/certificate-status`, { token: admin, json: { version: expiring.version, status: 'SUSPENDED', reason: '暂扣' } });
    expect(suspended.status, suspended.text).toBe(200);
    expect((await deadlines('2026-11-26')).body.items.some((i) => i.subjectId === expiring.id)).toBe(false);
  });

  it('lists a changed decision until it is withdrawn, within 3 working days of the change (N4)', async () => {
    const c = await openCase('2026-11-02');
    const issued = await issueWarning(c.id, '2026-11-20');
    const published = await api.fetchJson<{ version: number }>(`/cases/${c.id}/decision/publish`, { token: admin, json: { version: issued.version } });
    expect(published.status, published.text).toBe(200);
    const changed = await api.fetchJson<{ version: number; pendingWithdrawal: { dueDate: string } }>(`/cases/${c.id}/decision/changed`, {
      token: admin,
      json: { version: published.body.version, ground: 'REVOKED', changedOn: '2026-11-25', reason: '行政复议决定撤销' },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.pendingWithdrawal.dueDate).toBe('2026-11-30');
    const twice = await api.fetchJson<{ error: { code: string } }>(`/cases/${c.id}/decision/changed`, { token: admin, json: { version: changed.body.version, ground: 'REVOKED', changedOn: '2026-11-25', reason: '重复登记' } });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'ALREADY_RECORDED']);

    expect((await deadlines('2026-11-26')).body.items.find((i) => i.subjectId === c.id && i.kind === 'WITHDRAWAL')).toMatchObject({ state: 'DUE_SOON', workingDaysLeft: 2 });
    expect((await deadlines('2026-12-01')).body.items.find((i) => i.subjectId === c.id && i.kind === 'WITHDRAWAL')).toMatchObject({ state: 'OVERDUE', workingDaysLeft: -1 });

    const withdrawn = await api.fetchJson(`/cases/${c.id}/decision/withdraw`, { token: admin, json: { version: changed.body.version, ground: 'REVOKED', changedOn: '2026-11-25', reason: '行政复议决定撤销' } });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect((await deadlines('2026-11-26')).body.items.some((i) => i.subjectId === c.id && i.kind === 'WITHDRAWAL')).toBe(false);
  });

  it('only leaders and admins see it, a bureau only its own; a date in a year without holiday data is still answered', async () => {
    expect((await deadlines('2026-11-26', officer)).status).toBe(403);
    const otherLeader = await api.token(['leader'], { agencyId: uniqueId('other') });
    expect((await deadlines('2026-11-26', otherLeader)).status).toBe(403);
    // Counted Monday–Friday where the arrangement is missing: a deadline list never refuses.
    expect((await deadlines('2003-06-02')).status).toBe(200);
    expect((await deadlines('2026-13-01')).status).toBe(400);
  });
});

describe('reviews waiting for a person (N9)', () => {
  it('are kept alive with heartbeats and listed once their opinion is due or overdue', async () => {
    await newOfficer({ reviewer: true, legalQualification: true });
    const c = await openCase('2026-11-02');
    const draft = await api.fetchJson<{ version: number }>(`/cases/${c.id}/decision`, {
      method: 'PUT',
      token: officer,
      json: { version: 0, kind: 'PENALTY', procedure: 'GENERAL', conclusion: '罚款', penalties: ['FINE'], fine: '5000.00', legalBasis: '依据条款', facts: '事实经过', decisionDate: '2026-11-20' },
    });
    const submitted = await api.fetchJson<{ id: string }>(`/cases/${c.id}/decision/review`, { token: officer, json: { version: draft.body.version, materials: ['决定书草稿', '证据清单', '调查终结报告'] } });
    expect(submitted.status, submitted.text).toBe(201);
    let review: { step: string; opinionDueDate?: string } | undefined;
    for (let i = 0; i < 100 && review?.step !== 'AwaitOpinion'; i++) {
      review = (await api.fetchJson<{ step: string; opinionDueDate?: string }>(`/reviews/${submitted.body.id}`, { token: admin })).body;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(review?.step).toBe('AwaitOpinion');
    const due = review?.opinionDueDate ?? '';
    expect(due).toMatch(/^2026-12-/);

    const { deadlineCheck } = await import('../../shared/services/deadlines.ts');
    const run = await deadlineCheck('2026-11-26', { act: true, agencyId });
    expect(run.heartbeats).toBeGreaterThanOrEqual(1);
    expect(run.items.some((i) => i.subjectId === submitted.body.id)).toBe(false);
    // (The latest check date whose 3-working-day window stays within the holiday data: 2026.)
    const lateRes = await deadlines('2026-12-21');
    expect(lateRes.status, JSON.stringify(lateRes.body)).toBe(200);
    const late = lateRes.body.items.find((i) => i.subjectId === submitted.body.id);
    expect(late).toMatchObject({ kind: 'REVIEW_OPINION', state: 'OVERDUE', dueDate: due });
  });
});

describe('the scheduled run', () => {
  it('ends disclosure periods (the record leaves public view, EXPIRED), and sends one digest per agency', async () => {
    const c = await openCase('2026-11-02');
    const issued = await issueWarning(c.id, '2026-11-20');
    const published = await api.fetchJson<{ publicId: string }>(`/cases/${c.id}/decision/publish`, { token: admin, json: { version: issued.version } });
    expect(published.status, published.text).toBe(200);
    const publicId = issued.publicId;
    expect((await api.fetchJson(`/public/decisions/${publicId}`)).status).toBe(200);

    // Test double for "published long ago": the record's period ended on 20 November.
    const key = { pk: `DECISION#${publicId}`, sk: 'CURRENT' };
    const current = (await documentClient().send(new GetCommand({ TableName: tableName('Disclosures'), Key: key }))).Item!;
    const record = { ...(current.record as Record<string, unknown>), disclosureEndsOn: '2026-11-20' };
    await documentClient().send(new PutCommand({ TableName: tableName('Disclosures'), Item: { ...current, record, gsi2sk: `2026-11-20#${publicId}` } }));

    const view = (await deadlines('2026-11-26')).body.items.find((i) => i.subjectId === publicId);
    expect(view).toMatchObject({ kind: 'DISCLOSURE_ENDED', state: 'OVERDUE' });
    expect((await api.fetchJson(`/public/decisions/${publicId}`)).status).toBe(200);

    const { deadlineCheck } = await import('../../shared/services/deadlines.ts');
    const inboxLines = async () => (await readFile(process.env.LOCAL_INBOX_FILE!, 'utf8').catch(() => '')).trim().split('\n').filter((l) => l !== '');
    const before = (await inboxLines()).length;
    // The list alone (GET /compliance/deadlines) counts nothing; the run counts each agency's digest items.
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    expect(await emfLines(() => deadlineCheck('2026-11-26', { act: false }))).toEqual([]);
    let run!: Awaited<ReturnType<typeof deadlineCheck>>;
    const lines = await emfLines(async () => {
      run = await deadlineCheck('2026-11-26', { act: true });
    });
    vi.unstubAllEnvs();
    expect(run.expired).toContain(publicId);
    const gone = await api.fetchJson<{ error: { code: string } }>(`/public/decisions/${publicId}`);
    expect([gone.status, gone.body.error.code]).toEqual([410, 'EXPIRED']);
    const list = await api.fetchJson<{ items: { id: string }[] }>(`/public/decisions?agencyId=${agencyId}`);
    expect(list.body.items.map((i) => i.id)).not.toContain(publicId);
    const audit = await api.fetchJson<{ items: { action: string }[] }>(`/audit/events?entityType=Decision&entityId=${publicId}`, { token: admin });
    expect(audit.body.items.map((e) => e.action)).toContain('disclosure.expire');
    // Issue 12: the expired record keeps its proof, which names its end (place and hash, never the change).
    const proof = await api.fetchJson<{ status: string; events: { action: string }[] }>(`/public/decisions/${publicId}/proof`);
    expect(proof.status, proof.text).toBe(200);
    expect(proof.body.status).toBe('EXPIRED');
    expect(proof.body.events.map((e) => e.action)).toEqual(['decision.publish', 'disclosure.expire']);

    // One digest for this agency, in the inbox (the SNS topic in AWS), naming what was done.
    const digest = run.digests.find((d) => d.agencyId === agencyId);
    expect(digest?.items.find((i) => i.subjectId === publicId)).toMatchObject({ state: 'DONE' });
    expect(metricNames(lines).filter(([, agency]) => agency === agencyId)).toEqual([['DeadlineItemsDue', agencyId, digest?.items.length]]);
    expect(metricNames(lines).every(([name, agency]) => name === 'DeadlineItemsDue' && agency !== '*')).toBe(true);
    const inbox = (await inboxLines()).slice(before).map((l) => JSON.parse(l) as { agencyId: string; subject: string; text: string });
    const mine = inbox.filter((a) => a.agencyId === agencyId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.text).toContain('已撤下公示');
    expect(mine[0]?.subject).toMatch(/^[\x20-\x7e]+$/);
    const shown = await api.fetchJson<{ items: { agencyId: string }[] }>(`/local/inbox?agencyId=${agencyId}`);
    expect(shown.body.items.some((a) => a.agencyId === agencyId)).toBe(true);

    // Run again: nothing is expired twice.
    const again = await deadlineCheck('2026-11-26', { act: true });
    expect(again.expired).not.toContain(publicId);
  });
});
