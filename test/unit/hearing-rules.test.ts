/** The hearing's pure rules (P3, N10, N11): the request window, who may preside, the notice period, the excluded days, the gate. */
import { describe, expect, it } from 'vitest';
import {
  HEARING_NOTICE_MIN_DAYS,
  chineseDateTime,
  hearingArrangementBody,
  hearingExclusion,
  hearingGateProblem,
  hearingOfficerProblems,
  hearingRequestProblem,
  noticeTooLate,
} from '../../shared/domain/hearing.ts';
import type { HearingState } from '../../shared/domain/hearing.ts';
import type { NoticeState } from '../../shared/domain/procedure.ts';

const notice = (extra: Partial<NoticeState> = {}): NoticeState => ({
  documentId: 'd1',
  documentNo: '测市监告〔2026〕1号',
  date: '2026-11-02',
  proposed: { penalties: ['FINE'], fine: '150000.00', confiscatedValue: '0.00', conclusion: '罚款', draftHash: 'h' },
  hearingOffered: true,
  hearingTriggers: ['LARGE_FINE'],
  issuedBy: '承办人',
  issuedAt: '2026-11-02T01:00:00.000Z',
  ...extra,
});
const served = notice({ servedOn: '2026-11-02', statementEndsOn: '2026-11-09', hearingRequestEndsOn: '2026-11-09' });
const hearing = (status: HearingState['status'], extra: Partial<HearingState> = {}): HearingState => ({
  status,
  noticeDocumentNo: '测市监告〔2026〕1号',
  request: { receivedOn: '2026-11-05', channel: 'WRITTEN', recordedBy: 'x', recordedAt: 'x' },
  postponements: [],
  ...extra,
});

describe('the request (P3)', () => {
  const today = '2026-12-02';
  it('is accepted within the window, and before the notice is served', () => {
    expect(hearingRequestProblem(served, undefined, '2026-11-09', today)).toBeUndefined();
    expect(hearingRequestProblem(notice(), undefined, '2026-11-20', today)).toBeUndefined();
  });
  it('after the window: 422 HEARING_REQUEST_LATE naming the last day', () => {
    const p = hearingRequestProblem(served, undefined, '2026-11-10', today);
    expect(p).toMatchObject({ status: 422, code: 'HEARING_REQUEST_LATE' });
    expect(p?.message).toContain('2026-11-09');
  });
  it('no hearing offered, or no notice: 409 HEARING_NOT_OFFERED', () => {
    expect(hearingRequestProblem(notice({ hearingOffered: false }), undefined, '2026-11-05', today)?.code).toBe('HEARING_NOT_OFFERED');
    expect(hearingRequestProblem(undefined, undefined, '2026-11-05', today)?.code).toBe('HEARING_NOT_OFFERED');
  });
  it('before the notice, in the future, after a waiver, twice', () => {
    expect(hearingRequestProblem(served, undefined, '2026-11-01', today)?.code).toBe('HEARING_REQUEST_BEFORE_NOTICE');
    expect(hearingRequestProblem(notice(), undefined, '2026-12-03', today)?.code).toBe('HEARING_REQUEST_DATE_IN_FUTURE');
    expect(hearingRequestProblem({ ...served, waivedOn: '2026-11-03' }, undefined, '2026-11-05', today)?.code).toBe('HEARING_WAIVED');
    expect(hearingRequestProblem(served, hearing('REQUESTED'), '2026-11-06', today)?.code).toBe('HEARING_ALREADY_REQUESTED');
    expect(hearingRequestProblem(served, hearing('HELD'), '2026-11-06', today)?.code).toBe('HEARING_ALREADY_REQUESTED');
    // A new notice (a heavier penalty) gives a new right once the first hearing is over.
    expect(hearingRequestProblem({ ...served, documentNo: '测市监告〔2026〕2号' }, hearing('HELD'), '2026-11-06', today)).toBeUndefined();
  });
});

describe('who may preside and record (APL Art 64 (4))', () => {
  const cx = { handlingOfficerIds: ['h1', 'h2'], investigatorIds: ['h1', 'i1'], reviewerIds: ['r1'], agencyId: 'a' };
  const o = (id: string, agencyId = 'a') => ({ id, name: `名${id}`, agencyId });
  it('accepts two officers of the agency outside the case', () => {
    expect(hearingOfficerProblems({ officerId: 'x', officer: o('x'), clerkId: 'y', clerk: o('y') }, cx)).toEqual([]);
  });
  it('names a handling officer, an investigator, a reviewer, a stranger, and one person in both roles', () => {
    const p = hearingOfficerProblems({ officerId: 'h1', officer: o('h1'), clerkId: 'r1', clerk: o('r1') }, cx);
    expect(p).toEqual([
      { role: 'officer', officerId: 'h1', name: '名h1', reasons: ['是本案承办人员'] },
      { role: 'clerk', officerId: 'r1', name: '名r1', reasons: ['是本案法制审核人员'] },
    ]);
    expect(hearingOfficerProblems({ officerId: 'i1', officer: o('i1'), clerkId: 'z', clerk: o('z', 'b') }, cx).map((x) => x.reasons)).toEqual([['参与了本案调查取证'], ['不是本案执法主体的执法人员']]);
    expect(hearingOfficerProblems({ officerId: 'x', officer: o('x'), clerkId: 'x', clerk: o('x') }, cx)).toEqual([{ role: 'clerk', officerId: 'x', name: '名x', reasons: ['主持人与记录员不得为同一人'] }]);
    expect(hearingOfficerProblems({ officerId: 'q', officer: undefined, clerkId: 'y', clerk: o('y') }, cx)[0]?.reasons).toEqual(['执法人员不存在']);
  });
});

describe('the notice period (APL Art 64 (2))', () => {
  it(`is ${HEARING_NOTICE_MIN_DAYS} days from service to the hearing`, () => {
    expect(HEARING_NOTICE_MIN_DAYS).toBe(7);
    expect(noticeTooLate('2026-11-11', '2026-11-18')).toBeUndefined();
    expect(noticeTooLate('2026-11-12', '2026-11-18')).toEqual({ earliest: '2026-11-19' });
  });
  it('a hearing not in public says why', () => {
    const base = { version: 1, officerId: 'x', clerkId: 'y', at: '2026-11-18T09:30:00+08:00', place: '本局听证室' };
    expect(hearingArrangementBody.safeParse({ ...base, public: false }).success).toBe(false);
    expect(hearingArrangementBody.safeParse({ ...base, public: false, notPublicReason: '涉及商业秘密' }).success).toBe(true);
    expect(hearingArrangementBody.safeParse({ ...base, public: true, notPublicReason: '涉及商业秘密' }).success).toBe(false);
  });
  it('writes the date-time in Asia/Shanghai as documents do', () => {
    expect(chineseDateTime('2026-11-18T09:30:00+08:00')).toBe('2026年11月18日上午9时30分');
    expect(chineseDateTime('2026-11-18T06:00:00Z')).toBe('2026年11月18日下午2时');
    expect(chineseDateTime('2026-11-17T16:30:00Z')).toBe('2026年11月18日上午0时30分');
  });
});

describe('N11: the hearing does not count toward the decision limit', () => {
  it('counts from the day after the request to the end, across months', () => {
    expect(hearingExclusion('2026-11-05', '2026-11-27')).toEqual({ from: '2026-11-05', to: '2026-11-27', days: 22, reason: '听证' });
    expect(hearingExclusion('2026-11-05', '2026-11-05').days).toBe(0);
    expect(hearingExclusion('2026-12-30', '2027-01-02').days).toBe(3);
  });
});

describe('the gate at issue', () => {
  it('a requested or arranged hearing blocks; held or withdrawn does not; held must be in the draft', () => {
    expect(hearingGateProblem(undefined, false)).toBeUndefined();
    expect(hearingGateProblem(hearing('REQUESTED'), false)?.code).toBe('HEARING_PENDING');
    expect(hearingGateProblem(hearing('ARRANGED'), true)?.code).toBe('HEARING_PENDING');
    expect(hearingGateProblem(hearing('WITHDRAWN'), false)).toBeUndefined();
    expect(hearingGateProblem(hearing('HELD'), false)?.code).toBe('HEARING_NOT_IN_DRAFT');
    expect(hearingGateProblem(hearing('HELD'), true)).toBeUndefined();
  });
});
