/**
 * The staff console's pure logic (issue 16): its addresses and the sign-in return path, the session read
 * from an ID token, the order of 我的案件 and its deadline words, API errors placed next to their
 * fields, form drafts, and the local sign-in page's people drawn from the registry.
 */
import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { byUrgency, dueState, remindersFor, shanghaiDate, shanghaiDateTimeLocal, splitMine, type CaseSummary } from '../../console/src/lib/cases.ts';
import { clearDraft, draftKey, loadDraft, saveDraft } from '../../console/src/lib/drafts.ts';
import { fieldErrors, toApiError } from '../../console/src/lib/errors.ts';
import { rolesText } from '../../console/src/lib/labels.ts';
import { href, matchRoute, safeNext } from '../../console/src/lib/routes.ts';
import { SESSION_KEY, loadSession, saveSession, sessionFromToken, type KeyValueStore } from '../../console/src/lib/session.ts';
import { peopleOf } from '../../local/demo-people.ts';
import { DEMO_SPECIAL_CERTIFICATES, demoAgencies, demoOfficers } from '../../local/seed-data.ts';
import type { Agency } from '../../shared/domain/agency.ts';
import type { Officer } from '../../shared/domain/officer.ts';

const memoryStore = (): KeyValueStore & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
};

const token = (claims: Record<string, unknown>, expSeconds: number) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('officer:1').setExpirationTime(expSeconds).sign(new Uint8Array(32));

describe('addresses', () => {
  it('opens 我的案件 at /console/ and a case at /console/cases/<id>', () => {
    expect(matchRoute('/console/', '')).toEqual({ name: 'my-cases' });
    expect(matchRoute('/console', '')).toEqual({ name: 'my-cases' });
    const id = '6f1c2b9e-1111-4a2b-9c3d-123456789abc';
    expect(matchRoute(href.case(id), '')).toEqual({ name: 'case', id });
    expect(matchRoute(`${href.case(id)}/`, '')).toEqual({ name: 'case', id });
    expect(matchRoute('/console/nothing-here', '')).toEqual({ name: 'not-found' });
  });

  it('returns after sign-in only to a console page of this site', () => {
    const back = href.case('abc') + '?tab=acts';
    expect(matchRoute('/console/sign-in', `?next=${encodeURIComponent(back)}`)).toEqual({ name: 'sign-in', next: back });
    expect(href.signIn(back)).toBe(`/console/sign-in?next=${encodeURIComponent(back)}`);
    for (const bad of ['https://evil.example/console/', '//evil.example/console/', '/portal/', '/console/sign-in', '/console/sign-in?next=/console/', '/console/\\evil', '', null]) {
      expect(safeNext(bad)).toBeUndefined();
    }
  });
});

describe('session', () => {
  const now = Date.parse('2026-12-02T08:00:00Z');
  const exp = now / 1000 + 3600;

  it('reads who is signed in from the ID token, Chinese names included', async () => {
    const t = await token({ name: '李文静', 'cognito:groups': ['officer', 'nobody'], 'custom:agencyId': 'sq-city', 'custom:officerId': 'o-1' }, exp);
    expect(sessionFromToken(t)).toEqual({ token: t, sub: 'officer:1', name: '李文静', groups: ['officer'], agencyId: 'sq-city', officerId: 'o-1', expiresAt: exp * 1000 });
    expect(rolesText(['admin', 'officer'])).toBe('执法人员、法制机构（管理员）');
  });

  it('forgets an expired or unreadable token instead of using it', async () => {
    const store = memoryStore();
    const t = await token({ name: '李文静', 'cognito:groups': ['officer'] }, exp);
    expect(saveSession(store, t, now)?.name).toBe('李文静');
    expect(loadSession(store, now)?.token).toBe(t);
    // Within 30 s of expiry counts as expired: a request sent now could arrive too late.
    expect(loadSession(store, exp * 1000 - 10_000)).toBeUndefined();
    expect(store.map.has(SESSION_KEY)).toBe(false);
    expect(saveSession(store, 'not.a-token', now)).toBeUndefined();
    store.setItem(SESSION_KEY, 'garbage');
    expect(loadSession(store, now)).toBeUndefined();
  });
});

const aCase = (over: Partial<CaseSummary>): CaseSummary => ({
  id: over.caseNo ?? 'x',
  caseNo: 'x',
  agencyId: 'sq-city',
  enforcementType: 'PENALTY',
  powerName: '对经营超过保质期的食品的行政处罚',
  party: { kind: 'ORG', name: '示例公司' },
  handlingOfficerIds: [],
  filingDate: '2026-10-01',
  summary: '销售过期食品',
  decisionDueDate: '2026-12-30',
  status: 'OPEN',
  ...over,
});

describe('我的案件', () => {
  it("puts the officer's own cases first, open ones by the nearest limit, then decided and closed by latest filing", () => {
    const cases = [
      aCase({ caseNo: 'closed-mine', status: 'CLOSED', filingDate: '2026-09-01', handlingOfficerIds: ['me'] }),
      aCase({ caseNo: 'open-late-mine', decisionDueDate: '2027-01-20', handlingOfficerIds: ['me', 'other'] }),
      aCase({ caseNo: 'open-soon-other', decisionDueDate: '2026-12-05', handlingOfficerIds: ['other'] }),
      aCase({ caseNo: 'open-soon-mine', decisionDueDate: '2026-12-10', handlingOfficerIds: ['other', 'me'] }),
      aCase({ caseNo: 'decided-mine', status: 'DECIDED', filingDate: '2026-11-01', handlingOfficerIds: ['me'] }),
    ];
    const { mine, others } = splitMine(cases, 'me');
    expect(mine.map((c) => c.caseNo)).toEqual(['open-soon-mine', 'open-late-mine', 'decided-mine', 'closed-mine']);
    expect(others.map((c) => c.caseNo)).toEqual(['open-soon-other']);
    // Someone without an officer record (a leader) has no cases of their own.
    expect(splitMine(cases, undefined).mine).toEqual([]);
    expect([...cases].sort(byUrgency)[0]?.caseNo).toBe('open-soon-other');
  });

  it('says how near the decision limit is, in Beijing days', () => {
    const today = '2026-12-02';
    expect(dueState(aCase({ decisionDueDate: '2026-11-30' }), today)).toMatchObject({ tone: 'overdue', text: '已逾期 2 日' });
    expect(dueState(aCase({ decisionDueDate: today }), today)).toMatchObject({ tone: 'soon', text: '今日到期' });
    expect(dueState(aCase({ decisionDueDate: '2026-12-17' }), today)).toMatchObject({ tone: 'soon', daysLeft: 15 });
    expect(dueState(aCase({ decisionDueDate: '2026-12-18' }), today)).toMatchObject({ tone: 'ok', text: '剩余 16 日' });
    expect(dueState(aCase({ decisionDueDate: '2026-11-30', status: 'DECIDED' }), today).tone).toBe('done');
    // 23:30 UTC on 1 December is already 2 December in Beijing.
    expect(shanghaiDate(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-02');
    expect(shanghaiDate(new Date('2026-12-01T15:59:00Z'))).toBe('2026-12-01');
    expect(shanghaiDateTimeLocal(new Date('2026-12-01T23:30:45Z'))).toBe('2026-12-02T07:30');
  });
});

describe("the deadline check's reminders beside a case (leaders and the legal division)", () => {
  it("shows the case's own reminders, matched by id or case number, but not the decision limit it already shows", () => {
    const c = aCase({ id: 'case-1', caseNo: 'SQ-CITY-2026-00005' });
    const items = [
      { kind: 'PAYMENT', subjectId: 'case-1', caseNo: 'SQ-CITY-2026-00005' },
      { kind: 'CASE_LIMIT', subjectId: 'case-1', caseNo: 'SQ-CITY-2026-00005' },
      { kind: 'PUBLICATION', subjectId: 'decision-9', caseNo: 'SQ-CITY-2026-00005' },
      { kind: 'SERVICE', subjectId: 'case-2', caseNo: 'SQ-CITY-2026-00006' },
      { kind: 'CERTIFICATE', subjectId: 'officer-1' },
    ];
    expect(remindersFor(c, items).map((i) => i.kind)).toEqual(['PAYMENT', 'PUBLICATION']);
  });
});

describe('API errors', () => {
  it("puts each detail next to the field its path names and keeps the rest above the form", () => {
    const error = toApiError(422, {
      error: {
        code: 'CERTIFICATE_INVALID',
        message: '执法人员须持有有效证件',
        details: [
          { path: 'body.place', message: '地点至少 2 个字' },
          { path: 'body.officerIds.1', message: '编号格式无效' },
          { path: 'officer 6f1c', message: '孙浩然 的执法证件已暂扣' },
          { path: 'officerIds', message: '至少 2 名' },
          { path: 'body.unknownField', message: '不应有此字段' },
          { message: '其他问题' },
          { path: 42, message: '路径不是文本' },
          'not an object',
        ],
      },
    });
    expect(error).toMatchObject({ status: 422, code: 'CERTIFICATE_INVALID', message: '执法人员须持有有效证件' });
    const { byField, general } = fieldErrors(error, ['place', 'officerIds', 'at']);
    expect(byField).toEqual({ place: ['地点至少 2 个字'], officerIds: ['编号格式无效', '孙浩然 的执法证件已暂扣', '至少 2 名'] });
    expect(general).toEqual(['不应有此字段', '其他问题', '路径不是文本']);
  });

  it('gives a Chinese message for answers without the envelope', () => {
    expect(toApiError(0, undefined)).toMatchObject({ code: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
    expect(toApiError(502, '<html>Bad gateway</html>').message).toBe('服务器返回错误（502），请稍后再试');
    expect(toApiError(401, {}).message).toBe('登录已过期，请重新登录');
  });
});

describe('drafts', () => {
  it('keeps what the user typed until the API accepts it, and only fields the form knows', () => {
    const store = memoryStore();
    const key = draftKey('act', 'case-1');
    const empty = { place: '', officerIds: [] as string[], type: 'INSPECTION' };
    expect(loadDraft(store, key, empty)).toEqual(empty);
    saveDraft(store, key, { place: '宿城区示例路1号', officerIds: ['a', 'b'], type: 'QUESTIONING' });
    expect(loadDraft(store, key, empty)).toEqual({ place: '宿城区示例路1号', officerIds: ['a', 'b'], type: 'QUESTIONING' });
    store.setItem(key, JSON.stringify({ place: 7, officerIds: 'a', type: 'SERVICE', extra: 'x' }));
    expect(loadDraft(store, key, empty)).toEqual({ place: '', officerIds: [], type: 'SERVICE' });
    store.setItem(key, '{broken');
    expect(loadDraft(store, key, empty)).toEqual(empty);
    clearDraft(store, key);
    expect(store.map.size).toBe(0);
  });
});

describe('the local sign-in page\'s people (GET /local/people)', () => {
  const agencies = demoAgencies.map((a) => ({ ...a, parentId: a.parentId ?? null }) as Agency);
  const officers = demoOfficers.map(
    (o, i) =>
      ({
        ...o,
        id: `officer-${i}`,
        reviewer: o.reviewer ?? false,
        certificateStatus: o.certificateNo === DEMO_SPECIAL_CERTIFICATES.suspended ? 'SUSPENDED' : o.certificateNo === DEMO_SPECIAL_CERTIFICATES.revoked ? 'REVOKED' : 'VALID',
      }) as unknown as Officer,
  );
  const people = peopleOf(agencies, officers, '2026-12-02');

  it('lists officers and reviewers as their officer records, leaders and the legal division without one', () => {
    const roles = [...new Set(people.map((p) => p.role))];
    expect(roles).toEqual(['officer', 'reviewer', 'leader', 'admin']);
    const demoOfficer = people.find((p) => p.name === '李文静');
    const record = officers.find((o) => o.name === '李文静');
    expect(demoOfficer).toMatchObject({ role: 'officer', groups: ['officer'], agencyId: 'sq-city', agencyName: '宿迁市市场监督管理局', officerId: record?.id });
    for (const p of people.filter((x) => x.role === 'reviewer')) {
      expect(officers.find((o) => o.id === p.officerId)?.reviewer).toBe(true);
    }
    expect(people.filter((p) => p.role === 'leader').map((p) => p.agencyId)).toEqual(['sq-city', 'sq-shuyang', 'sq-siyang']);
    expect(people.find((p) => p.role === 'admin')).toMatchObject({ sub: 'admin-1', groups: ['admin'], agencyId: 'sq-city' });
    expect(new Set(people.map((p) => p.sub)).size).toBe(people.length);
  });

  it('never offers someone whose certificate is suspended, revoked or expired', () => {
    const offered = new Set(people.map((p) => p.certificateNo));
    for (const no of Object.values(DEMO_SPECIAL_CERTIFICATES)) expect(offered.has(no)).toBe(false);
  });
});
