/**
 * Every bad input a clear 4xx, nothing stored (S3, issue 10 points 6 and 7): the inputs the issue
 * reports, sent through the real handlers against DynamoDB Local. Each refusal has the error shape
 * {"error":{code,message,details?}} and leaves the store as it was.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '../../shared/aws/dynamodb.ts';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { creditCodeCheckChar, idNumberCheckChar } from '../../shared/domain/identifiers.ts';
import { CHECKLIST_POINTS, MAX_CHECKLIST_TEXT, MAX_OPINION_TEXT } from '../../shared/domain/review.ts';
import { itemSize, MAX_ITEM_BYTES } from '../../shared/store/item-size.ts';
import { createPower, startApi, uniqueId, type TestApi, simpleWarningDraft } from './helpers.ts';

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let agencyId: string;
const officerIds: string[] = [];
const reviewers: { id: string; token: string }[] = [];
const powerCode = uniqueId('IL').toUpperCase();
let certSeq = 0;

interface Err {
  error: { code: string; message: string; details?: { path?: string; message: string }[] };
}
interface Versioned {
  id: string;
  version: number;
}
interface ReviewView extends Versioned {
  step: string;
  status: string;
  reviewerId?: string;
  opinions: unknown[];
}

const idNumber = (seq: number) => {
  const first = `321302${1950 + (seq % 50)}0101${String(seq % 1000).padStart(3, '0')}`;
  return first + idNumberCheckChar(first);
};
const creditCode = (body: string) => body + creditCodeCheckChar(body);

/** A refusal: the status, the error shape, a Chinese message, and (when given) the field it names. */
function expectRefused(res: { status: number; body: unknown; text: string }, status: number, path?: string): Err {
  expect(res.status, res.text).toBe(status);
  const body = res.body as Err;
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
  expect(body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  if (path !== undefined) expect(body.error.details?.map((d) => d.path)).toContain(path);
  return body;
}

async function newOfficer(extra: Record<string, unknown> = {}): Promise<Versioned> {
  const res = await api.fetchJson<Versioned>('/officers', {
    token: admin,
    json: { name: '输入测试员', agencyId, certificateNo: `5${String(Date.now()).slice(-7)}${String(++certSeq).padStart(3, '0')}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31', ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const caseBody = (extra: Record<string, unknown> = {}) => ({
  agencyId,
  enforcementType: 'PENALTY',
  powerCode,
  party: { kind: 'ORG', name: '宿迁市输入测试有限公司', creditCode: creditCode('91321302MA1XL0001') },
  handlingOfficerIds: officerIds.slice(0, 2),
  filingDate: '2026-03-02',
  summary: '涉嫌经营超过保质期的食品',
  ...extra,
});

async function openCase(party?: Record<string, unknown>): Promise<Versioned> {
  const res = await api.fetchJson<Versioned>('/cases', { token: officer, json: caseBody(party ? { party } : {}) });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function timelineTypes(caseId: string): Promise<string[]> {
  const res = await api.fetchJson<{ items: { type: string }[] }>(`/cases/${caseId}/timeline`, { token: officer });
  expect(res.status, res.text).toBe(200);
  return res.body.items.map((i) => i.type);
}

async function casesOfAgency(): Promise<number> {
  const res = await api.fetchJson<{ items: unknown[] }>(`/cases?agencyId=${agencyId}&limit=100`, { token: officer });
  expect(res.status, res.text).toBe(200);
  return res.body.items.length;
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin'], { name: '法规处管理员' });
  agencyId = uniqueId('limits');
  officer = await api.token(['officer'], { name: '承办人', agencyId });
  leader = await api.token(['leader'], { name: '负责人', agencyId });
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `输入测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  for (let i = 0; i < 2; i++) officerIds.push((await newOfficer()).id);
  for (let i = 0; i < 2; i++) {
    const id = (await newOfficer({ reviewer: true, legalQualification: true, division: '法规处' })).id;
    reviewers.push({ id, token: await api.token(['reviewer'], { officerId: id, name: `审核员${i}`, agencyId }) });
  }
  expect((await createPower(api, admin, powerCode, agencyId)).status).toBe(201);
});
afterAll(async () => api?.stop());

describe('numbers within what the store takes (point 6)', () => {
  it('training hours 5e-324, 1e-300, 0.25 and 1e21 are refused; the officer is unchanged', async () => {
    const o = await newOfficer();
    for (const hours of [5e-324, 1e-300, 0.25, 1e21]) {
      const res = await api.fetchJson(`/officers/${o.id}/training`, { token: admin, json: { version: o.version, year: 2026, hours, course: '行政处罚法培训', completedOn: '2026-06-01' } });
      expectRefused(res, 400, 'body.hours');
    }
    const after = await api.fetchJson<Versioned & { training?: unknown[] }>(`/officers/${o.id}`, { token: admin });
    expect(after.body.version).toBe(o.version);
    expect(after.body.training ?? []).toEqual([]);
    const ok = await api.fetchJson(`/officers/${o.id}/training`, { token: admin, json: { version: o.version, year: 2026, hours: 12.5, course: '行政处罚法培训', completedOn: '2026-06-01' } });
    expect(ok.status, ok.text).toBe(201);
  });

  it('a case extension of 1e21 days or a version of 1e21 is refused', async () => {
    const c = await openCase();
    expectRefused(await api.fetchJson(`/cases/${c.id}/extensions`, { token: leader, json: { version: c.version, days: 1e21, reason: '案情复杂', approvedBy: '局长' } }), 400, 'body.days');
    expectRefused(await api.fetchJson(`/cases/${c.id}/extensions`, { token: leader, json: { version: 1e21, days: 10, reason: '案情复杂', approvedBy: '局长' } }), 400, 'body.version');
  });
});

describe('evidence uploads: GPS and capture time (points 6 and 7)', () => {
  let deviceToken: string;
  let caseId: string;
  const bytes = Buffer.from('input limits evidence');
  const upload = (extra: Record<string, unknown>) => ({
    caseId,
    mediaType: 'PHOTO',
    fileName: '现场照片.jpg',
    contentType: 'image/jpeg',
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    capturedAt: '2026-03-03T10:15:00+08:00',
    capturePlace: { text: '宿城区幸福路某超市', gps: { lat: 33.96, lon: 118.28, accuracyMeters: 5 } },
    collectorOfficerId: officerIds[0],
    proves: '货架上陈列超过保质期的食品',
    ...extra,
  });

  beforeAll(async () => {
    caseId = (await openCase()).id;
    const device = await api.fetchJson<{ credentials: { tokenUrl: string; clientId: string; clientSecret: string } }>('/devices', {
      token: admin,
      json: { serial: `IL-${uniqueId('d').toUpperCase()}`, model: '执法记录仪 X1', kind: 'BODY_CAMERA', agencyId },
    });
    expect(device.status, device.text).toBe(201);
    const { tokenUrl, clientId, clientSecret } = device.body.credentials;
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials&scope=evidence%2Fupload',
    });
    deviceToken = ((await res.json()) as { access_token: string }).access_token;
  });

  const evidenceCount = async () => {
    const res = await api.fetchJson<{ items: unknown[] }>(`/cases/${caseId}/evidence`, { token: officer });
    expect(res.status, res.text).toBe(200);
    return res.body.items.length;
  };

  it('accuracyMeters 1e21, lat 1e-300, lon 5e-324, 8 decimals and a capture in year 0 or the future are 400; nothing is stored', async () => {
    const before = await evidenceCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ capturePlace: { text: '现场', gps: { lat: 33.96, lon: 118.28, accuracyMeters: 1e21 } } }, 'body.capturePlace.gps.accuracyMeters'],
      [{ capturePlace: { text: '现场', gps: { lat: 1e-300, lon: 118.28 } } }, 'body.capturePlace.gps.lat'],
      [{ capturePlace: { text: '现场', gps: { lat: 33.96, lon: 5e-324 } } }, 'body.capturePlace.gps.lon'],
      [{ capturePlace: { text: '现场', gps: { lat: 33.123456789, lon: 118.28 } } }, 'body.capturePlace.gps.lat'],
      [{ capturedAt: '0000-01-01T00:00:00Z' }, 'body.capturedAt'],
      [{ capturedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'body.capturedAt'],
      [{ proves: '证明\u202e对象' }, 'body.proves'],
    ];
    for (const [extra, path] of cases) expectRefused(await api.fetchJson('/evidence/uploads', { token: deviceToken, json: upload(extra) }), 400, path);
    expect(await evidenceCount()).toBe(before);
    const ok = await api.fetchJson('/evidence/uploads', { token: deviceToken, json: upload({ capturePlace: { text: '现场', gps: { lat: 33.9611245, lon: 118.2752311, accuracyMeters: 100_000 } } }) });
    expect(ok.status, ok.text).toBe(201);
  });
});

describe('clean text and plausible instants (point 7)', () => {
  it('an act dated 0000-01-01 or an hour ahead is refused; the acts are unchanged', async () => {
    const c = await openCase();
    const act = (extra: Record<string, unknown>) =>
      api.fetchJson(`/cases/${c.id}/acts`, { token: officer, json: { type: 'INSPECTION', at: '2026-03-05T10:00:00+08:00', place: '宿城区某超市', officerIds: officerIds.slice(0, 2), notes: '现场检查', ...extra } });
    const before = await timelineTypes(c.id);
    expectRefused(await act({ at: '0000-01-01T00:00:00Z' }), 400, 'body.at');
    expectRefused(await act({ at: '1999-12-31T23:59:59+08:00' }), 400, 'body.at');
    // A well-formed instant ahead of the clock is a business rule (issue 11, point 3): 422 naming it.
    expect(expectRefused(await act({ at: new Date(Date.now() + 3_600_000).toISOString() }), 422, 'body.at').error.code).toBe('ACT_IN_FUTURE');
    expectRefused(await act({ place: '宿城区\u0000某超市' }), 400, 'body.place');
    expectRefused(await act({ notes: '现场\u202e检查' }), 400, 'body.notes');
    expectRefused(await act({ place: '\u200b\u200b\u200b' }), 400, 'body.place');
    expect(await timelineTypes(c.id)).toEqual(before);
    // Multi-line notes keep their line breaks and tabs.
    expect((await act({ notes: '第一项：货架\n\t第二项：仓库' })).status).toBe(201);
  });

  it('NUL, C0 controls, a lone surrogate, U+202E and zero-width-only names are refused; no case is opened', async () => {
    const before = await casesOfAgency();
    const party = caseBody().party;
    const refused: [Record<string, unknown>, string][] = [
      [{ summary: '涉嫌\u0000经营' }, 'body.summary'],
      [{ summary: '涉嫌\u0007\u001b经营' }, 'body.summary'],
      [{ party: { ...party, name: '\u200b\u200c\u200d\u2060\ufeff' } }, 'body.party.name'],
      [{ party: { ...party, name: '宿迁市\u202e司公限有' } }, 'body.party.name'],
      [{ party: { ...party, name: '宿迁市\n输入测试公司' } }, 'body.party.name'],
      // Outside 2000–2100 is no plausible date (400); a plausible one in the future is 422 FILING_DATE_IN_FUTURE (date-rules.test.ts).
      [{ filingDate: '2101-01-01' }, 'body.filingDate'],
      [{ filingDate: '9999-12-31' }, 'body.filingDate'],
      [{ filingDate: '1999-12-31' }, 'body.filingDate'],
    ];
    for (const [extra, path] of refused) expectRefused(await api.fetchJson('/cases', { token: officer, json: caseBody(extra) }), 400, path);
    // A lone surrogate cannot be written by JSON.stringify: send the escape as raw JSON.
    const raw = JSON.stringify(caseBody({ summary: 'SURROGATE' })).replace('SURROGATE', '涉嫌\\ud800经营');
    expectRefused(await api.fetchJson('/cases', { token: officer, body: raw, headers: { 'content-type': 'application/json' } }), 400, 'body.summary');
    expect(await casesOfAgency()).toBe(before);
  });

  it('text is stored trimmed and in NFC', async () => {
    const res = await api.fetchJson<Versioned & { summary: string }>('/cases', { token: officer, json: caseBody({ summary: '  Cafe\u0301 涉嫌违法经营 \n' }) });
    expect(res.status, res.text).toBe(201);
    const stored = await api.fetchJson<{ case?: { summary: string }; summary?: string }>(`/cases/${res.body.id}`, { token: officer });
    expect(stored.body.case?.summary ?? stored.body.summary).toBe('Café 涉嫌违法经营');
  });
});

describe('items within DynamoDB\'s 400 KB (point 6)', () => {
  it('DynamoDB Local itself refuses an oversize item with a ValidationException (what the guard pre-empts)', async () => {
    const key = { pk: `LIMITS#${uniqueId()}`, sk: 'PROBE' };
    const tooBig = { ...key, text: 'x'.repeat(401 * 1024) };
    await expect(documentClient().send(new PutCommand({ TableName: tableName('Cases'), Item: tooBig }))).rejects.toMatchObject({ name: 'ValidationException' });
    // The guard's limit sits below what DynamoDB takes: an item the guard lets through is stored.
    const atGuard = { ...key, text: 'x'.repeat(MAX_ITEM_BYTES - itemSize({ ...key, text: '' })) };
    expect(itemSize(atGuard)).toBe(MAX_ITEM_BYTES);
    await documentClient().send(new PutCommand({ TableName: tableName('Cases'), Item: atGuard }));
    expect((await documentClient().send(new GetCommand({ TableName: tableName('Cases'), Key: key }))).Item?.text).toHaveLength(atGuard.text.length);
  });

  it('a review opinion above the limit is a field-level 400; opinions that no longer fit the review are 413 ITEM_TOO_LARGE, nothing written', async () => {
    const c = await openCase();
    const draft = await api.fetchJson<Versioned>(`/cases/${c.id}/decision`, {
      method: 'PUT',
      token: officer,
      json: { version: 0, kind: 'PENALTY', procedure: 'GENERAL', conclusion: '罚款人民币八万元', penalties: ['FINE'], fine: '80000.00', legalBasis: '《产品质量法》第四十九条', facts: '销售不合格产品', decisionDate: '2026-04-20' },
    });
    expect(draft.status, draft.text).toBe(200);
    const submitted = await api.fetchJson<ReviewView>(`/cases/${c.id}/decision/review`, { token: officer, json: { version: draft.body.version, materials: ['决定书草稿', '证据清单', '调查终结报告'] } });
    expect(submitted.status, submitted.text).toBe(201);
    const until = async (step: string): Promise<ReviewView> => {
      for (let i = 0; i < 200; i++) {
        const r = await api.fetchJson<ReviewView>(`/reviews/${submitted.body.id}`, { token: admin });
        if (r.body.step === step) return r.body;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`review did not reach ${step}`);
    };
    const tokenOf = (id: string | undefined) => reviewers.find((r) => r.id === id)?.token ?? '';
    // The longest opinion the schema takes, with every checklist field at its limit: 3 bytes a character.
    const failing = { passed: false, issue: '问'.repeat(MAX_CHECKLIST_TEXT), comment: '注'.repeat(MAX_CHECKLIST_TEXT) };
    const longest = (version: number, opinion = '审'.repeat(MAX_OPINION_TEXT)) => ({
      version,
      checklist: Object.fromEntries(CHECKLIST_POINTS.map((p) => [p, failing])),
      documentsComplete: true,
      suspectedCrime: false,
      outcome: 'RETURN',
      opinion,
      requestedMaterials: Array.from({ length: 20 }, (_, i) => `材${i}`.padEnd(100, '料')),
    });

    let r = await until('AwaitOpinion');
    // 150 KB of opinion text: refused at the field, before anything else.
    expectRefused(await api.fetchJson(`/reviews/${r.id}/opinion`, { token: tokenOf(r.reviewerId), json: longest(r.version, '审'.repeat(50_000)) }), 400, 'body.opinion');

    let refused: Err | undefined;
    let accepted = 0;
    for (let round = 0; round < 10 && !refused; round++) {
      const res = await api.fetchJson(`/reviews/${r.id}/opinion`, { token: tokenOf(r.reviewerId), json: longest(r.version) });
      if (res.status === 413) {
        refused = expectRefused(res, 413);
        break;
      }
      expect(res.status, res.text).toBe(200);
      accepted++;
      r = await until('AwaitSupplement');
      expect((await api.fetchJson(`/reviews/${r.id}/supplement`, { token: officer, json: { version: r.version, materials: [`进货票据${round}`] } })).status).toBe(200);
      r = await until('AwaitOpinion');
    }
    // Four of the longest opinions fit in one review item (review.ts MAX_OPINION_TEXT), the fifth does not.
    expect(accepted).toBe(4);
    expect(refused?.error.code).toBe('ITEM_TOO_LARGE');
    expect(refused?.error.message).toContain('法制审核');
    expect(refused?.error.message).toContain('400 KB');
    // Nothing written: same version, same opinions, still waiting for the opinion; a short one goes through.
    const after = await until('AwaitOpinion');
    expect([after.version, after.opinions.length, after.status]).toEqual([r.version, r.opinions.length, r.status]);
    const short = { ...longest(r.version, '请补充进货票据后再报。'), checklist: Object.fromEntries(CHECKLIST_POINTS.map((p) => [p, { passed: false, issue: '证据不足' }])), requestedMaterials: ['进货票据'] };
    const shortRes = await api.fetchJson(`/reviews/${r.id}/opinion`, { token: tokenOf(r.reviewerId), json: short });
    expect(shortRes.status, shortRes.text.slice(0, 300)).toBe(200);
  }, 120_000);

  describe('a decision with many ID numbers (D9 redaction manifest)', () => {
    const person = { kind: 'PERSON', name: '张三丰', idNumber: idNumber(1) };
    const simple = (documentText: string) => simpleWarningDraft({ decisionNo: `测市监简罚〔2026〕${uniqueId('p')}号`, legalBasis: '《食品安全法》第一百二十四条', documentText });
    const withIds = (count: number, length: number) => {
      let text = '';
      for (let i = 0; i < count; i++) text += `第${i}号证人（身份证号${idNumber(i + 2)}）证实当事人经营超过保质期的食品。`;
      return (text + '经查明，当事人经营超过保质期的食品，事实清楚，证据确凿。'.repeat(2000)).slice(0, length);
    };
    async function issued(documentText: string) {
      const c = await openCase(person);
      const draft = await api.fetchJson<Versioned>(`/cases/${c.id}/decision`, { method: 'PUT', token: officer, json: simple(documentText) });
      expect(draft.status, draft.text).toBe(200);
      const res = await api.fetchJson<Versioned & { publicId: string }>(`/cases/${c.id}/decision/issue`, { token: leader, json: { version: draft.body.version } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.publicId).toBeTruthy();
      return { caseId: c.id, decision: res.body };
    }

    it('the reported 36,000 characters with 800 ID numbers are published, not a 500', async () => {
      const text = withIds(800, 36_000);
      expect(text.length).toBe(36_000);
      const { caseId, decision } = await issued(text);
      const published = await api.fetchJson<{ status: string }>(`/cases/${caseId}/decision/publish`, { token: admin, json: { version: decision.version } });
      expect(published.status, published.text.slice(0, 300)).toBe(200);
      expect(published.body.status).toBe('PUBLISHED');
    }, 60_000);

    it('a draft needing more than 1,000 removals is refused at drafting, naming the field and the limit', async () => {
      const c = await openCase(person);
      const res = await api.fetchJson(`/cases/${c.id}/decision`, { method: 'PUT', token: officer, json: simple(withIds(1200, 50_000)) });
      const err = expectRefused(res, 400, 'body.documentText');
      expect(err.error.message).toContain('1000');
      expect((await api.fetchJson(`/cases/${c.id}/decision`, { token: officer })).status).toBe(404);
    });

    it('a publication whose redaction record would pass 400 KB is refused with 413 ITEM_TOO_LARGE; nothing is published', async () => {
      // The party's own name 3,000 times: legal at drafting (only the detectors and third parties are
      // counted there), too many removals for one manifest item at publication.
      const { caseId, decision } = await issued(`${'张三丰、'.repeat(3000)}经营超过保质期的食品，决定给予警告。`);
      const published = await api.fetchJson(`/cases/${caseId}/decision/publish`, { token: admin, json: { version: decision.version } });
      const err = expectRefused(published, 413);
      expect(err.error.code).toBe('ITEM_TOO_LARGE');
      expect(err.error.message).toContain('公示隐去记录');
      expect(err.error.message).toContain('400 KB');
      const after = await api.fetchJson<{ status: string; version: number }>(`/cases/${caseId}/decision`, { token: officer });
      expect([after.body.status, after.body.version]).toEqual(['ISSUED', decision.version]);
      expect((await api.fetchJson(`/public/decisions/${decision.publicId}`)).status).toBe(404);
      expect(await timelineTypes(caseId)).not.toContain('publication.published');
    }, 60_000);
  });
});
