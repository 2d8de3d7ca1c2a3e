/**
 * Use cases for decisions (D5–D11, L1, N1–N5, N12): draft, the review gate, issue with the
 * publication deadline, and the case timeline.
 */
import { randomUUID } from 'node:crypto';
import { reviewScope, simpleProcedureProblem, PUBLICATION_WORKING_DAYS, DECISION_STATUS_LABELS } from '../domain/decision.ts';
import type { DecisionDraftBody, DecisionStatus } from '../domain/decision.ts';
import { decisionNumber, draftHash } from '../domain/decision-record.ts';
import type { AuditEventInput } from '../domain/audit.ts';
import { needsPriorNotice } from '../domain/procedure.ts';
import { endedCaseProblem } from '../domain/closing-state.ts';
import type { GeneratedDecisionDocument } from '../domain/procedure.ts';
import type { Decision, TimelineEvent } from '../domain/decision-record.ts';
import { ACT_LABELS } from '../domain/case.ts';
import type { Act, Case } from '../domain/case.ts';
import { BusinessRuleError, ConflictError, NotFoundError, VersionConflictError } from '../domain/errors.ts';
import { POWER_TYPE_LABELS } from '../domain/catalog.ts';
import * as store from '../store/cases.ts';
import { addToAggregates } from '../store/aggregates.ts';
import { shanghaiToday, yearOf } from '../domain/dates.ts';
import { assertDates, decisionBeforeFilingProblem, decisionDateAtIssueProblem } from '../domain/date-rules.ts';
import { issueIncrements } from '../domain/report-aggregates.ts';
import { reviewsOfCase } from '../store/reviews.ts';
import { commit } from '../store/transact.ts';
import { countBusiness } from '../aws/metrics.ts';
import type { Write } from '../store/transact.ts';
import { currentCalendar } from './calendar.ts';
import { commitContext } from './context.ts';
import { assertRecordingComplete } from './recording.ts';
import { assertProcedureAllowsIssue } from './procedure-gate.ts';
import { reviewCatalogueContentAsOf, toScopeCatalogue } from './review-catalogue.ts';
import type { ActionContext } from './context.ts';
import { requireCase } from './cases.ts';

const nowIso = (ctx: ActionContext) => (ctx.now ?? new Date()).toISOString();

export async function requireDecision(caseId: string): Promise<Decision> {
  const d = await store.getDecision(caseId);
  if (!d) throw new NotFoundError(`案件 ${caseId} 尚无决定`, 'DECISION_NOT_FOUND');
  return d;
}

/** 409 naming the state the action needs and the state the decision is in. */
export function requireStatus(d: Decision, allowed: readonly DecisionStatus[], action: string): void {
  if (!allowed.includes(d.status)) {
    throw new ConflictError(
      'INVALID_STATE',
      `${action}要求决定处于「${allowed.map((s) => DECISION_STATUS_LABELS[s]).join('」或「')}」状态，当前为「${DECISION_STATUS_LABELS[d.status]}」`,
      [{ path: 'status', message: `需要 ${allowed.join(' | ')}`, required: allowed, current: d.status }],
    );
  }
}

/** A case that ended without a penalty (P8) takes no penalty decision. */
function refuseEnded(c: Case): void {
  const ended = endedCaseProblem(c);
  if (ended) throw new ConflictError(ended.code, ended.message);
}

export function checkVersion(d: Decision, expected: number): void {
  if (d.version !== expected) throw new VersionConflictError('决定', expected, d.version);
}

/** Saves the draft (creating it with version 0). A changed draft needs a new review (L1). */
export async function saveDraft(ctx: ActionContext, caseId: string, body: DecisionDraftBody): Promise<Decision> {
  const c = await requireCase(caseId);
  refuseEnded(c);
  const current = await store.getDecision(caseId);
  let amendingUnderReview = false;
  if (current) {
    checkVersion(current, body.version);
    // While the handling division weighs a reviewer's AMEND/DISAGREE (coordination, L6), it may apply
    // the amendment: the review then continues about the amended draft.
    amendingUnderReview =
      current.status === 'IN_REVIEW' && (await reviewsOfCase(caseId)).some((r) => r.status === 'IN_PROGRESS' && r.step === 'AwaitCoordination');
    if (!amendingUnderReview) requireStatus(current, ['DRAFT', 'REVIEW_PASSED'], '修改决定草稿');
  } else if (body.version !== 0) {
    throw new VersionConflictError('决定', body.version, 0);
  }
  if (body.kind !== c.enforcementType) {
    throw new BusinessRuleError('DECISION_KIND_MISMATCH', `决定类别须与案件执法类型 ${POWER_TYPE_LABELS[c.enforcementType]} 一致`);
  }
  // A draft may carry a planned date (judged against today at issue), never one before the filing.
  assertDates(decisionBeforeFilingProblem(body.decisionDate, c.filingDate, 'body.decisionDate'));
  // The review scope counts a held hearing (N8): only a hearing recorded on the case is one (P3).
  if (body.hearingHeld && c.hearing?.status !== 'HELD') {
    throw new BusinessRuleError('HEARING_NOT_HELD', '本案没有已举行的听证（POST /cases/{id}/hearing/record），决定草稿不能注明经过听证', [{ path: 'body.hearingHeld', message: '无听证笔录' }]);
  }
  if (body.procedure === 'SIMPLE') {
    const problem = simpleProcedureProblem(body, c.party.kind);
    if (problem) throw new BusinessRuleError('SIMPLE_PROCEDURE_NOT_ALLOWED', problem);
  }
  const { version: _v, ...draft } = body;
  const hash = draftHash(draft);
  const at = nowIso(ctx);
  const next: Decision = {
    caseId,
    publicId: current?.publicId ?? randomUUID(),
    // Editing a reviewed draft voids the review: the gate checks the hash of exactly this draft.
    status: amendingUnderReview ? 'IN_REVIEW' : current?.status === 'REVIEW_PASSED' && current.draftHash === hash ? 'REVIEW_PASSED' : 'DRAFT',
    version: (current?.version ?? 0) + 1,
    draft,
    draftHash: hash,
    scope: reviewScope(body, c.party.kind, toScopeCatalogue(await reviewCatalogueContentAsOf(body.decisionDate))),
    corrections: [],
    createdAt: current?.createdAt ?? at,
    updatedAt: at,
  };
  await commit(
    commitContext(ctx),
    [store.putDecision(next, current?.version ?? 0), store.putEvent(caseId, { type: 'decision.draft', label: '保存决定草稿', at, by: ctx.identity.name, details: { version: next.version } })],
    [{ action: current ? 'decision.draft.update' : 'decision.draft.create', entityType: 'Decision', entityId: caseId, change: { version: next.version, draftHash: hash, inReviewScope: next.scope.inScope, decisionNo: draft.decisionNo } }],
  );
  return next;
}

/**
 * Issue the decision (作出决定). In the review scope, only a passed review of exactly this draft
 * opens the gate (L1); then the publication deadline is computed on the working-day calendar (D7).
 */
export async function issueDecision(ctx: ActionContext, caseId: string, expectedVersion: number): Promise<Decision> {
  const c = await requireCase(caseId);
  // The case version written with the decision makes a concurrent ending and this issue exclusive.
  refuseEnded(c);
  const d = await requireDecision(caseId);
  checkVersion(d, expectedVersion);
  requireStatus(d, ['DRAFT', 'REVIEW_PASSED'], '作出决定');
  // Issuing makes the decision today: its date is neither before the filing nor still ahead.
  assertDates(decisionBeforeFilingProblem(d.draft.decisionDate, c.filingDate), decisionDateAtIssueProblem(d.draft.decisionDate, shanghaiToday(ctx.now)));
  const writes: Write[] = [];
  // Every act that needs a recording has its sealed evidence, or an admin's explained exception (R5).
  await assertRecordingComplete(caseId);
  // A general-procedure penalty: notice served, period over or waived, statements answered, not heavier (P1, P2).
  const statements = await assertProcedureAllowsIssue(c, d, ctx);
  if (d.scope.inScope) {
    const review = await store.findPassedReview(caseId, d.draftHash);
    if (!review) {
      throw new ConflictError('REVIEW_REQUIRED', `该决定属于法制审核范围（${d.scope.matched.map((m) => m.label).join('、')}），未经法制审核或审核未通过的，不得作出决定`, d.scope.matched.map((m) => ({ path: 'scope', message: m.label, rule: m.rule })));
    }
    // The review must still be there, unchanged, when the decision is written.
    writes.push({
      kind: 'check',
      table: 'Cases',
      key: { pk: review.pk as string, sk: review.sk as string },
      condition: '#s = :passed AND #h = :h',
      names: { '#s': 'status', '#h': 'draftHash' },
      values: { ':passed': 'PASSED', ':h': d.draftHash },
      onConditionFailed: () => new ConflictError('REVIEW_REQUIRED', '法制审核记录已变化，不能作出决定'),
    });
  }
  const days = PUBLICATION_WORKING_DAYS[d.draft.kind];
  // A year without holiday data makes the deadline provisional, never the act refused (issue 11).
  const due = (await currentCalendar()).addWorkingDays(d.draft.decisionDate, days);
  const at = nowIso(ctx);
  const issued = (generated?: GeneratedDecisionDocument): Decision => ({
    ...d,
    status: 'ISSUED',
    version: d.version + 1,
    publicationDue: {
      dueDate: due.dueDate,
      workingDays: days,
      rule: `${POWER_TYPE_LABELS[d.draft.kind]}决定自作出之日起 ${days} 个工作日内公示（D7）`,
      skipped: due.skipped,
      adjustedWorkdays: due.adjustedWorkdays,
      ...(due.provisional ? { provisional: due.provisional } : {}),
    },
    ...(generated ? { document: generated.document, servedText: generated.text, paymentReference: generated.paymentReference } : {}),
    issuedAt: at,
    issuedBy: ctx.identity.name,
    updatedAt: at,
  });
  const closed = { ...c, status: 'DECIDED' as const, version: c.version + 1, updatedAt: at };
  const issueWrites = (next: Decision): Write[] => [
    store.putDecision(next, d.version),
    store.replaceCase(closed, c.version),
    store.putEvent(caseId, { type: 'decision.issued', label: '作出决定', at, by: ctx.identity.name, details: { decisionNo: decisionNumber(next), publicationDueDate: due.dueDate, ...(due.provisional ? { provisional: due.provisional.note } : {}) } }),
    ...writes,
    // D13: the decision counts in its year; its publication counts as due in the due date's year.
    ...addToAggregates(c.agencyId, [
      { year: yearOf(d.draft.decisionDate), increments: issueIncrements(d.draft) },
      { year: yearOf(due.dueDate), increments: { disclosureDue: 1 } },
    ]),
  ];
  const issueEvent = (next: Decision): AuditEventInput => ({
    action: 'decision.issue',
    entityType: 'Decision',
    entityId: caseId,
    change: { decisionNo: decisionNumber(next), draftHash: d.draftHash, publicationDueDate: due.dueDate, ...(next.document ? { documentSha256: next.document.sha256 } : {}) },
  });
  let next: Decision;
  if (needsPriorNotice(d.draft)) {
    // The 行政处罚决定书 is generated and numbered in the issuing transaction (P7); its code is loaded here only.
    const { issueWithDecisionDocument } = await import('./procedure.ts');
    next = await issueWithDecisionDocument(ctx, c, d, statements, issued, issueWrites, issueEvent);
  } else {
    next = issued();
    await commit(commitContext(ctx), issueWrites(next), [issueEvent(next)]);
  }
  countBusiness('DecisionsIssued', c.agencyId);
  return next;
}

export interface TimelineEntry {
  readonly at: string;
  readonly kind: 'act' | 'decision' | 'review' | 'publication' | 'procedure';
  readonly type: string;
  readonly label: string;
  readonly by: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Acts, procedure steps (notice, service, statements), decision steps, reviews and publication events of a case, in time order (R1). */
export async function timeline(caseId: string): Promise<TimelineEntry[]> {
  await requireCase(caseId);
  const items = await store.caseCollection(caseId);
  const entries: TimelineEntry[] = [];
  for (const item of items) {
    if (item.entity === 'Act') {
      const a = item as unknown as Act;
      entries.push({ at: a.at, kind: 'act', type: a.type, label: ACT_LABELS[a.type], by: a.officerNames.join('、'), details: { place: a.place, notes: a.notes, ...(a.serviceMethod ? { serviceMethod: a.serviceMethod } : {}) } });
    } else if (item.entity === 'Event') {
      const e = item as unknown as TimelineEvent;
      const kind = e.type.startsWith('review') ? 'review' : e.type.startsWith('publication') ? 'publication' : e.type.startsWith('procedure') ? 'procedure' : 'decision';
      entries.push({ at: e.at, kind, type: e.type, label: e.label, by: e.by, ...(e.details ? { details: e.details } : {}) });
    }
  }
  // By instant: acts carry the offset they were given in, events are UTC.
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

