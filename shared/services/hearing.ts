/**
 * The hearing's steps (P3, N10, N11): the request, the arrangement with its 听证通知书, postponement
 * (with a new 听证通知书 naming the new time), withdrawal, and the 听证笔录. Each step takes the case's
 * version and is one transaction with its audit event and timeline entry. When the hearing ends (held or
 * withdrawn) its days are excluded from the decision limit: the case's decisionDueDate moves, and with it
 * the case's place in the deadline queue.
 */
import type { Case } from '../domain/case.ts';
import { BusinessRuleError, ConflictError } from '../domain/errors.ts';
import {
  HEARING_NOTICE_MIN_DAYS,
  HEARING_REQUEST_CHANNEL_LABELS,
  HEARING_STATUS_LABELS,
  WITHDRAWAL_WAY_LABELS,
  chineseDateTime,
  describeIneligible,
  earliestHearingDate,
  hearingDateOf,
  hearingEnded,
  hearingExclusion,
  hearingOfficerProblems,
  hearingPublicLabel,
  hearingRequestProblem,
  noticeTooLate,
} from '../domain/hearing.ts';
import type {
  HearingArrangement,
  HearingArrangementBody,
  HearingPostponementBody,
  HearingRecord,
  HearingRecordBody,
  HearingRequestBody,
  HearingState,
  HearingStatus,
  HearingWithdrawalBody,
} from '../domain/hearing.ts';
import type { CaseDocument } from '../domain/procedure.ts';
import type { Officer } from '../domain/officer.ts';
import type { Review } from '../domain/review-record.ts';
import { addCalendarDays } from '../domain/working-days.ts';
import { chineseDate } from '../documents/fill.ts';
import * as store from '../store/cases.ts';
import { hearingDocumentsOf, hearingRecordsOf, putHearingRecord } from '../store/hearings.ts';
import { requireAgency } from '../store/registry.ts';
import { reviewsOfCase } from '../store/reviews.ts';
import { commit } from '../store/transact.ts';
import { checkOfficers, loadOfficers, requireCase } from './cases.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';
import { assertDateWithin, checkCaseVersion, nowIso, requireCaseEvidence, requireOpen, today } from './case-steps.ts';
import { assertDocumentSettings, commitWithDocument, requireDocument } from './documents.ts';


/** The hearing in one of `statuses`, else 409 naming where it is. */
function requireHearing(c: Case, statuses: readonly HearingStatus[], action: string): HearingState {
  const h = c.hearing;
  if (!h) throw new ConflictError('HEARING_NOT_REQUESTED', `当事人未要求听证，不能${action}`);
  if (!statuses.includes(h.status)) {
    const code = hearingEnded(h) ? 'HEARING_ENDED' : h.status === 'ARRANGED' ? 'HEARING_ALREADY_ARRANGED' : 'HEARING_NOT_ARRANGED';
    throw new ConflictError(code, `听证${HEARING_STATUS_LABELS[h.status]}，不能${action}`);
  }
  return h;
}

/** The case, the hearing ended on `to`: N11 moves the decision limit by the days the hearing took. */
function endedCase(c: Case, hearing: HearingState, to: string, at: string): Case {
  const excluded = hearingExclusion(hearing.request.receivedOn, to);
  return {
    ...c,
    hearing: { ...hearing, excluded },
    excludedPeriods: [...(c.excludedPeriods ?? []), excluded],
    decisionDueDate: addCalendarDays(c.decisionDueDate, excluded.days),
    version: c.version + 1,
    updatedAt: at,
  };
}

// ---------------------------------------------------------------- request (P3)

export async function requestHearing(ctx: ActionContext, caseId: string, body: HearingRequestBody): Promise<Case> {
  const c = await requireCase(caseId);
  checkCaseVersion(c, body.version);
  requireOpen(c, '登记听证申请');
  const problem = hearingRequestProblem(c.notice, c.hearing, body.receivedOn, today(ctx));
  if (problem) {
    const details = problem.path ? [{ path: problem.path, message: problem.limit ?? problem.message }] : [];
    throw problem.status === 409 ? new ConflictError(problem.code, problem.message, details) : new BusinessRuleError(problem.code, problem.message, details);
  }
  await requireCaseEvidence(caseId, body.evidenceId ? [body.evidenceId] : [], 'body.evidenceId');
  const notice = c.notice as NonNullable<Case['notice']>;
  const at = nowIso(ctx);
  const { version: _v, ...request } = body;
  const hearing: HearingState = { status: 'REQUESTED', noticeDocumentNo: notice.documentNo, request: { ...request, recordedBy: ctx.identity.name, recordedAt: at }, postponements: [] };
  const next: Case = { ...c, hearing, version: c.version + 1, updatedAt: at };
  await commit(
    commitContext(ctx),
    [
      store.replaceCase(next, c.version),
      store.putEvent(caseId, {
        type: 'procedure.hearing.request',
        label: `当事人要求听证（${HEARING_REQUEST_CHANNEL_LABELS[body.channel]}）`,
        at,
        by: ctx.identity.name,
        details: { receivedOn: body.receivedOn, channel: body.channel, noticeDocumentNo: notice.documentNo },
      }),
    ],
    [{ action: 'case.hearing.request', entityType: 'Case', entityId: caseId, change: { receivedOn: body.receivedOn, channel: body.channel, noticeDocumentNo: notice.documentNo, evidenceId: body.evidenceId ?? null } }],
  );
  return next;
}

// ---------------------------------------------------------------- arrangement and postponement (P3)

/**
 * APL Art 64 (4): the hearing officer and clerk are not the case's investigators (its handling officers
 * or anyone who carried out an act), nor its legal reviewers; both hold a certificate valid on the day.
 */
async function eligibleOfficers(c: Case, officerId: string, clerkId: string, hearingDate: string): Promise<Map<string, Officer | undefined>> {
  const [officers, acts, reviews] = await Promise.all([loadOfficers([officerId, clerkId]), store.actsOf(c.id), reviewsOfCase(c.id)]);
  // Older review items may lack the lists: read them as empty.
  const listed = (r: Partial<Pick<Review, 'assignments' | 'opinions'>>) => [...(r.assignments ?? []).map((a) => a.reviewerId), ...(r.opinions ?? []).map((o) => o.reviewerId)];
  const reviewerIds = reviews.flatMap((r) => [...(r.reviewerId ? [r.reviewerId] : []), ...listed(r)]);
  const problems = hearingOfficerProblems(
    { officerId, officer: officers.get(officerId), clerkId, clerk: officers.get(clerkId) },
    { handlingOfficerIds: c.handlingOfficerIds, investigatorIds: acts.flatMap((a) => a.officerIds), reviewerIds, agencyId: c.agencyId },
  );
  if (problems.length) {
    throw new BusinessRuleError(
      'HEARING_OFFICER_NOT_ELIGIBLE',
      `听证由行政机关指定的非本案调查人员主持（APL 第六十四条）：${problems.map(describeIneligible).join('；')}`,
      problems.map((p) => ({ path: p.role === 'officer' ? 'body.officerId' : 'body.clerkId', message: describeIneligible(p), officerId: p.officerId, reasons: p.reasons })),
    );
  }
  // Validity only: the hearing officer need not hold the case's enforcement category.
  checkOfficers([officerId, clerkId], officers, hearingDate, undefined, false);
  return officers;
}

/** 422 when the hearing is less than HEARING_NOTICE_MIN_DAYS after the 听证通知书's date (it cannot be served earlier). */
function assertNoticePeriodPossible(hearingAt: string, noticeDate: string): void {
  const earliest = earliestHearingDate(noticeDate);
  if (hearingDateOf(hearingAt) < earliest) {
    throw new BusinessRuleError(
      'HEARING_DATE_TOO_EARLY',
      `听证通知书须在举行听证 ${HEARING_NOTICE_MIN_DAYS} 日前送达当事人：通知书日期为 ${noticeDate}，听证最早于 ${earliest} 举行`,
      [{ path: 'body.at', message: `不早于 ${earliest}`, earliest }],
    );
  }
}

async function violationTypeOf(c: Case): Promise<string> {
  return (await store.getDecision(c.id))?.draft.violationType ?? c.summary;
}

function noticeFields(c: Case, violationType: string, a: Pick<HearingArrangement, 'at' | 'place' | 'public' | 'notPublicReason' | 'officerName' | 'clerkName'>, agency: { address?: string; phone?: string }) {
  return {
    partyName: c.party.name,
    violationType,
    hearingDateTime: chineseDateTime(a.at),
    hearingPlace: a.place,
    hearingPublic: hearingPublicLabel(a),
    hearingOfficer: a.officerName,
    hearingClerk: a.clerkName,
    agencyAddress: agency.address,
    agencyPhone: agency.phone,
  };
}

export interface HearingStepResult {
  readonly case: Case;
  readonly document: CaseDocument;
}

export async function arrangeHearing(ctx: ActionContext, caseId: string, body: HearingArrangementBody): Promise<HearingStepResult> {
  const c = await requireCase(caseId);
  checkCaseVersion(c, body.version);
  requireOpen(c, '安排听证');
  const hearing = requireHearing(c, ['REQUESTED'], '安排听证');
  const noticeDate = body.date ?? today(ctx);
  assertDateWithin(noticeDate, { date: hearing.request.receivedOn, label: '收到听证申请的日期' }, ctx, { early: 'HEARING_NOTICE_BEFORE_REQUEST', future: 'HEARING_NOTICE_DATE_IN_FUTURE' }, 'body.date');
  assertNoticePeriodPossible(body.at, noticeDate);
  const officers = await eligibleOfficers(c, body.officerId, body.clerkId, hearingDateOf(body.at));
  const agency = await requireAgency(c.agencyId);
  assertDocumentSettings(agency, ['documentNoPrefix', 'address', 'phone']);
  const at = nowIso(ctx);
  const partial = {
    officerId: body.officerId,
    officerName: officers.get(body.officerId)?.name ?? body.officerId,
    clerkId: body.clerkId,
    clerkName: officers.get(body.clerkId)?.name ?? body.clerkId,
    at: body.at,
    place: body.place,
    public: body.public,
    ...(body.notPublicReason ? { notPublicReason: body.notPublicReason } : {}),
  };
  let next: Case | undefined;
  const document = await commitWithDocument(
    ctx,
    c,
    agency,
    { type: 'HEARING_NOTICE', date: noticeDate, fields: noticeFields(c, await violationTypeOf(c), partial, agency) },
    (doc) => {
      const arrangement: HearingArrangement = { ...partial, noticeDocumentId: doc.id, noticeDocumentNo: doc.documentNo, noticeDate, arrangedBy: ctx.identity.name, arrangedAt: at };
      next = { ...c, hearing: { ...hearing, status: 'ARRANGED', arrangement }, version: c.version + 1, updatedAt: at };
      return [
        store.replaceCase(next, c.version),
        store.putEvent(caseId, {
          type: 'procedure.hearing.arrangement',
          label: `安排听证：${chineseDateTime(body.at)}，制作听证通知书`,
          at,
          by: ctx.identity.name,
          details: { documentNo: doc.documentNo, hearingAt: body.at, officerId: body.officerId, clerkId: body.clerkId, public: body.public },
        }),
      ];
    },
    (doc) => [
      {
        action: 'case.hearing.arrangement',
        entityType: 'Case',
        entityId: caseId,
        change: { documentNo: doc.documentNo, hearingAt: body.at, officerId: body.officerId, clerkId: body.clerkId, public: body.public },
      },
    ],
  );
  return { case: next as Case, document };
}

/** A new time for the hearing, with a new 听证通知书 naming it: the notice period runs from that one's service. */
export async function postponeHearing(ctx: ActionContext, caseId: string, body: HearingPostponementBody): Promise<HearingStepResult> {
  const c = await requireCase(caseId);
  checkCaseVersion(c, body.version);
  requireOpen(c, '延期听证');
  const hearing = requireHearing(c, ['ARRANGED'], '延期听证');
  const old = hearing.arrangement as HearingArrangement;
  if (Date.parse(body.at) <= Date.parse(old.at)) {
    throw new BusinessRuleError('HEARING_POSTPONEMENT_NOT_LATER', `延期后的听证时间须晚于原定的 ${chineseDateTime(old.at)}`, [{ path: 'body.at', message: `晚于 ${old.at}` }]);
  }
  const noticeDate = body.date ?? today(ctx);
  assertDateWithin(noticeDate, { date: old.noticeDate, label: '原听证通知书的日期' }, ctx, { early: 'HEARING_NOTICE_BEFORE_REQUEST', future: 'HEARING_NOTICE_DATE_IN_FUTURE' }, 'body.date');
  assertNoticePeriodPossible(body.at, noticeDate);
  // The same officer and clerk: their certificates must still be valid on the new day.
  await eligibleOfficers(c, old.officerId, old.clerkId, hearingDateOf(body.at));
  const agency = await requireAgency(c.agencyId);
  assertDocumentSettings(agency, ['documentNoPrefix', 'address', 'phone']);
  const at = nowIso(ctx);
  let next: Case | undefined;
  const document = await commitWithDocument(
    ctx,
    c,
    agency,
    { type: 'HEARING_NOTICE', date: noticeDate, fields: noticeFields(c, await violationTypeOf(c), { ...old, at: body.at }, agency) },
    (doc) => {
      const arrangement: HearingArrangement = { ...old, at: body.at, noticeDocumentId: doc.id, noticeDocumentNo: doc.documentNo, noticeDate, arrangedBy: ctx.identity.name, arrangedAt: at };
      const postponement = { from: old.at, to: body.at, reason: body.reason, requestedBy: body.requestedBy, noticeDocumentId: doc.id, noticeDocumentNo: doc.documentNo, by: ctx.identity.name, at };
      next = { ...c, hearing: { ...hearing, arrangement, postponements: [...hearing.postponements, postponement] }, version: c.version + 1, updatedAt: at };
      return [
        store.replaceCase(next, c.version),
        store.putEvent(caseId, {
          type: 'procedure.hearing.postponement',
          label: `听证延期至 ${chineseDateTime(body.at)}，制作新的听证通知书`,
          at,
          by: ctx.identity.name,
          details: { from: old.at, to: body.at, requestedBy: body.requestedBy, documentNo: doc.documentNo, replaces: old.noticeDocumentNo },
        }),
      ];
    },
    // The reason may name the party's circumstances: it stays in the case, not in the trail.
    (doc) => [{ action: 'case.hearing.postponement', entityType: 'Case', entityId: caseId, change: { from: old.at, to: body.at, requestedBy: body.requestedBy, documentNo: doc.documentNo, replaces: old.noticeDocumentNo } }],
  );
  return { case: next as Case, document };
}

// ---------------------------------------------------------------- withdrawal (P3, N11)

export async function withdrawHearing(ctx: ActionContext, caseId: string, body: HearingWithdrawalBody): Promise<Case> {
  const c = await requireCase(caseId);
  checkCaseVersion(c, body.version);
  requireOpen(c, '登记撤回听证申请');
  const hearing = requireHearing(c, ['REQUESTED', 'ARRANGED'], '登记撤回听证申请');
  assertDateWithin(body.withdrawnOn, { date: hearing.request.receivedOn, label: '听证申请的日期' }, ctx, { early: 'HEARING_WITHDRAWAL_BEFORE_REQUEST', future: 'HEARING_WITHDRAWAL_DATE_IN_FUTURE' }, 'body.withdrawnOn');
  if (body.how === 'ABSENT') {
    const day = hearing.arrangement ? hearingDateOf(hearing.arrangement.at) : undefined;
    if (!day || body.withdrawnOn < day) {
      throw new BusinessRuleError('HEARING_NOT_YET_DUE', day ? `听证定于 ${day} 举行：此前不能以未出席视为放弃` : '听证尚未安排：不能以未出席视为放弃', [{ path: 'body.how', message: '未出席须在听证日期之后' }]);
    }
  }
  await requireCaseEvidence(caseId, body.evidenceId ? [body.evidenceId] : [], 'body.evidenceId');
  const at = nowIso(ctx);
  const { version: _v, ...withdrawal } = body;
  const next = endedCase(c, { ...hearing, status: 'WITHDRAWN', withdrawal: { ...withdrawal, recordedBy: ctx.identity.name, recordedAt: at } }, body.withdrawnOn, at);
  const excluded = next.hearing?.excluded;
  await commit(
    commitContext(ctx),
    [
      store.replaceCase(next, c.version),
      store.putEvent(caseId, {
        type: 'procedure.hearing.withdrawal',
        label: `当事人撤回听证申请（${WITHDRAWAL_WAY_LABELS[body.how]}）`,
        at,
        by: ctx.identity.name,
        details: { withdrawnOn: body.withdrawnOn, how: body.how, excludedDays: excluded?.days, decisionDueDate: next.decisionDueDate },
      }),
    ],
    [
      {
        action: 'case.hearing.withdrawal',
        entityType: 'Case',
        entityId: caseId,
        change: { withdrawnOn: body.withdrawnOn, how: body.how, excludedDays: excluded?.days ?? 0, decisionDueDate: { from: c.decisionDueDate, to: next.decisionDueDate }, evidenceId: body.evidenceId ?? null },
      },
    ],
  );
  return next;
}

// ---------------------------------------------------------------- the record (P3, N11)

export async function recordHearing(ctx: ActionContext, caseId: string, body: HearingRecordBody): Promise<HearingStepResult> {
  const c = await requireCase(caseId);
  checkCaseVersion(c, body.version);
  requireOpen(c, '制作听证笔录');
  const hearing = requireHearing(c, ['ARRANGED'], '制作听证笔录');
  const a = hearing.arrangement as HearingArrangement;
  const day = hearingDateOf(a.at);
  assertDateWithin(body.heldOn, { date: day, label: '安排的听证日期' }, ctx, { early: 'HEARING_RECORD_BEFORE_HEARING', future: 'HEARING_DATE_IN_FUTURE' }, 'body.heldOn');
  // APL Art 64 (2): the notice naming this date reached the party at least seven days before it.
  const notice = await requireDocument(caseId, a.noticeDocumentId);
  if (!notice.servedOn) {
    throw new ConflictError('HEARING_NOTICE_NOT_SERVED', `听证通知书 ${notice.documentNo} 尚未登记送达（POST /cases/${caseId}/services）：未依法通知当事人的听证不能举行`, [{ path: 'hearing.arrangement', message: notice.documentNo }]);
  }
  const late = noticeTooLate(notice.servedOn, day);
  if (late) {
    throw new ConflictError(
      'HEARING_NOTICE_TOO_LATE',
      `听证通知书 ${notice.documentNo} 于 ${notice.servedOn} 送达，距 ${day} 不足 ${HEARING_NOTICE_MIN_DAYS} 日：不得在该日举行听证，最早可于 ${late.earliest} 举行，请延期听证（POST /cases/${caseId}/hearing/postponement）`,
      [{ path: 'hearing.arrangement.at', message: `最早 ${late.earliest}`, earliest: late.earliest, servedOn: notice.servedOn }],
    );
  }
  const agency = await requireAgency(c.agencyId);
  const at = nowIso(ctx);
  const { version: _v, ...content } = body;
  const fields = {
    violationType: await violationTypeOf(c),
    partyName: c.party.name,
    legalRepresentative: c.party.legalRepresentative,
    hearingDateTime: body.heldOn === day ? chineseDateTime(a.at) : chineseDate(body.heldOn),
    hearingPlace: a.place,
    hearingPublic: hearingPublicLabel(a),
    hearingOfficer: a.officerName,
    hearingClerk: a.clerkName,
    recordParticipants: body.participants,
    recordInvestigatorStatement: body.investigatorStatement,
    recordPartyStatement: body.partyStatement,
    recordCrossExamination: body.crossExamination,
    recordFinalStatement: body.finalStatement,
  };
  let next: Case | undefined;
  const document = await commitWithDocument(
    ctx,
    c,
    agency,
    { type: 'HEARING_RECORD', date: body.heldOn, fields },
    (doc) => {
      const held = { heldOn: body.heldOn, documentId: doc.id, documentNo: doc.documentNo, recordedBy: ctx.identity.name, recordedAt: at };
      next = endedCase(c, { ...hearing, status: 'HELD', held }, body.heldOn, at);
      const record: HearingRecord = { ...content, caseId, documentId: doc.id, documentNo: doc.documentNo, recordedBy: ctx.identity.name, recordedAt: at };
      return [
        store.replaceCase(next, c.version),
        putHearingRecord(record),
        store.putEvent(caseId, {
          type: 'procedure.hearing.record',
          label: '举行听证，制作听证笔录',
          at,
          by: ctx.identity.name,
          details: { heldOn: body.heldOn, documentNo: doc.documentNo, excludedDays: next.hearing?.excluded?.days, decisionDueDate: next.decisionDueDate },
        }),
      ];
    },
    // What was said is in the record; the trail records that it was held, when, and the limit's move.
    (doc) => [
      {
        action: 'case.hearing.record',
        entityType: 'Case',
        entityId: caseId,
        change: { heldOn: body.heldOn, documentNo: doc.documentNo, excludedDays: next?.hearing?.excluded?.days ?? 0, decisionDueDate: { from: c.decisionDueDate, to: next?.decisionDueDate ?? c.decisionDueDate } },
      },
    ],
  );
  return { case: next as Case, document };
}

// ---------------------------------------------------------------- the view

export async function hearingView(caseId: string) {
  const c = await requireCase(caseId);
  const [documents, records] = await Promise.all([hearingDocumentsOf(caseId), hearingRecordsOf(caseId)]);
  return {
    caseId,
    version: c.version,
    hearingOffered: c.notice?.hearingOffered ?? false,
    ...(c.notice?.hearingRequestEndsOn ? { hearingRequestEndsOn: c.notice.hearingRequestEndsOn } : {}),
    hearing: c.hearing ?? null,
    records,
    documents: documents.map(({ objectKey: _k, ...d }) => d),
    decisionDueDate: c.decisionDueDate,
    excludedPeriods: c.excludedPeriods ?? [],
  };
}
