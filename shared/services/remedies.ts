/**
 * Remedies against a decision (P6): reconsideration and litigation filed, their outcomes, the windows from
 * the 决定书's service and the enforcement application's 3 months (行政强制法 Art 53). An outcome that
 * changes a published decision records the change at once (N4: publication.recordChange), so the record
 * comes down within 3 working days; one that changes a decision not yet public is kept as something its
 * publication must reflect.
 */
import { createHash } from 'node:crypto';
import { yearOf } from '../domain/dates.ts';
import type { Decision } from '../domain/decision-record.ts';
import type { DecisionStatus } from '../domain/decision.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../domain/errors.ts';
import {
  REMEDY_KIND_LABELS,
  REMEDY_OUTCOME_LABELS,
  REMEDY_STAGE_LABELS,
  WITHDRAWAL_GROUND_OF,
  changesDecision,
  enforcementApplicationDue,
  isLate,
  remedyWindows,
} from '../domain/remedy.ts';
import type { OutcomeBody, Remedy, RemedyBody, RemedyPublicationEffect, RemedyWindows } from '../domain/remedy.ts';
import { remedyFiledIncrements, remedyOutcomeIncrements } from '../domain/report-aggregates.ts';
import { addToAggregates } from '../store/aggregates.ts';
import * as store from '../store/cases.ts';
import * as remedies from '../store/remedies.ts';
import { commit } from '../store/transact.ts';
import { requireCase } from './cases.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';
import { nowIso, today } from './case-steps.ts';
import { requireDecision } from './decisions.ts';
import { unpaidFine } from './payments.ts';
import { recordChange } from './publication.ts';


const ISSUED: readonly DecisionStatus[] = ['ISSUED', 'PUBLISHED', 'EXEMPT', 'WITHDRAWN', 'EXPIRED'];

function requireIssued(d: Decision): void {
  if (!ISSUED.includes(d.status)) throw new ConflictError('DECISION_NOT_ISSUED', '决定尚未作出：行政复议和行政诉讼针对已作出的决定');
}

function assertDate(date: string, earliest: { date: string; label: string }, latest: string, codes: { early: string; future: string }, path: string): void {
  if (date < earliest.date) throw new BusinessRuleError(codes.early, `${path} ${date} 早于${earliest.label} ${earliest.date}`, [{ path, message: `不早于 ${earliest.date}` }]);
  if (date > latest) throw new BusinessRuleError(codes.future, `${path} ${date} 晚于今天（${latest}）`, [{ path, message: `不晚于 ${latest}` }]);
}

/** The day the 决定书's service took effect, if a 决定书 was generated and served. */
async function servedOn(d: Decision): Promise<string | undefined> {
  return d.document ? (await store.getDocument(d.caseId, d.document.id))?.servedOn : undefined;
}

/** One remedy per kind, stage and case number at the body: the same filing reported twice is one. */
const remedyId = (b: Pick<RemedyBody, 'kind' | 'stage' | 'caseNumber'>): string => {
  // A UUID version 8 (RFC 9562: application-defined) made of the hash.
  const h = createHash('sha256').update(`${b.kind}\n${b.stage}\n${b.caseNumber}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export async function fileRemedy(ctx: ActionContext, caseId: string, body: RemedyBody): Promise<Remedy> {
  const c = await requireCase(caseId);
  const d = await requireDecision(caseId);
  requireIssued(d);
  assertDate(body.filedOn, { date: d.draft.decisionDate, label: '决定日期' }, today(ctx), { early: 'REMEDY_BEFORE_DECISION', future: 'REMEDY_DATE_IN_FUTURE' }, 'body.filedOn');
  const served = await servedOn(d);
  const at = nowIso(ctx);
  const remedy: Remedy = {
    ...body,
    id: remedyId(body),
    caseId,
    late: served ? isLate(body.kind, body.filedOn, remedyWindows(served)) : false,
    recordedBy: ctx.identity.name,
    recordedAt: at,
  };
  const label = `${REMEDY_KIND_LABELS[body.kind]}（${REMEDY_STAGE_LABELS[remedy.stage]}）`;
  await commit(
    commitContext(ctx),
    [
      remedies.putRemedy(remedy),
      store.putEvent(caseId, {
        type: 'procedure.remedy',
        label: `当事人申请${label}${remedy.late ? '（已超过法定期限）' : ''}`,
        at,
        by: ctx.identity.name,
        details: { remedyId: remedy.id, kind: body.kind, stage: remedy.stage, filedOn: body.filedOn, caseNumber: body.caseNumber, late: remedy.late },
      }),
      // The annual report's remedies, in the year filed (the conditional put above makes a repeat count once).
      ...addToAggregates(c.agencyId, [{ year: yearOf(body.filedOn), increments: remedyFiledIncrements(body.kind) }]),
    ],
    [{ action: 'case.remedy', entityType: 'Case', entityId: caseId, change: { remedyId: remedy.id, kind: body.kind, stage: remedy.stage, filedOn: body.filedOn, caseNumber: body.caseNumber, late: remedy.late } }],
  );
  return remedy;
}

/**
 * Records the outcome. One that changes the decision and finds it published records the change first
 * (its own transaction, N4), then the outcome with what it did; a retry after a lost answer finds the
 * change recorded and goes on.
 */
export async function recordOutcome(ctx: ActionContext, caseId: string, id: string, body: OutcomeBody): Promise<Remedy> {
  const r = await remedies.getRemedy(caseId, id);
  if (!r) throw new NotFoundError(`案件 ${caseId} 没有复议或诉讼记录 ${id}`, 'REMEDY_NOT_FOUND');
  if (r.outcome) throw new ConflictError('OUTCOME_ALREADY_RECORDED', `该${REMEDY_KIND_LABELS[r.kind]}的结果已于 ${r.outcome.at} 登记`);
  assertDate(body.decidedOn, { date: r.filedOn, label: '申请或起诉日期' }, today(ctx), { early: 'OUTCOME_BEFORE_FILING', future: 'OUTCOME_DATE_IN_FUTURE' }, 'body.decidedOn');
  const [c, d] = await Promise.all([requireCase(caseId), requireDecision(caseId)]);
  let publication: RemedyPublicationEffect = { effect: 'NONE' };
  if (changesDecision(body.outcome)) {
    const ground = WITHDRAWAL_GROUND_OF[body.outcome];
    if (d.status === 'PUBLISHED' && !d.pendingWithdrawal) {
      const reason = `${REMEDY_KIND_LABELS[r.kind]}（${r.body}，${r.caseNumber}）结果：${REMEDY_OUTCOME_LABELS[body.outcome]}，${body.documentReference}`;
      const changed = await recordChange(ctx, caseId, { version: d.version, ground, changedOn: body.decidedOn, reason });
      publication = { effect: 'WITHDRAWAL_PENDING', ground, dueDate: changed.pendingWithdrawal!.dueDate };
    } else if (d.status === 'PUBLISHED' || d.status === 'WITHDRAWN') {
      publication = { effect: 'ALREADY_RECORDED', ground };
    } else if (d.status === 'ISSUED') {
      publication = { effect: 'REFLECT_WHEN_PUBLISHED', ground, decisionStatus: d.status };
    }
  }
  const at = nowIso(ctx);
  const outcome = { ...body, by: ctx.identity.name, at, publication };
  await commit(
    commitContext(ctx),
    [
      remedies.setOutcome(r, outcome),
      store.putEvent(caseId, {
        type: 'procedure.remedy.outcome',
        label: `${REMEDY_KIND_LABELS[r.kind]}结果：${REMEDY_OUTCOME_LABELS[body.outcome]}${publication.effect === 'REFLECT_WHEN_PUBLISHED' ? '（决定尚未公示：公示时须反映）' : ''}`,
        at,
        by: ctx.identity.name,
        details: { remedyId: id, outcome: body.outcome, decidedOn: body.decidedOn, documentReference: body.documentReference, publication: publication.effect },
      }),
      // The annual report's outcomes, in the year decided (setOutcome's condition makes it once).
      ...addToAggregates(c.agencyId, [{ year: yearOf(body.decidedOn), increments: remedyOutcomeIncrements(body.outcome) }]),
    ],
    [{ action: 'case.remedy.outcome', entityType: 'Case', entityId: caseId, change: { remedyId: id, outcome: body.outcome, decidedOn: body.decidedOn, documentReference: body.documentReference, publication: publication.effect } }],
  );
  return { ...r, outcome };
}

export interface RemediesView {
  readonly decisionDate: string;
  readonly servedOn: string | null;
  readonly windows: (RemedyWindows & { reconsiderationOpen: boolean; litigationOpen: boolean }) | null;
  readonly items: Remedy[];
  readonly enforcementApplicationDue: { from: string; until: string; overdue: boolean; rule: string } | null;
  /**
   * Outcomes that changed the decision while it was not public. Once it is published, `action`
   * says the change still has to be recorded (POST /cases/{id}/decision/changed).
   */
  readonly publicationMustReflect: { remedyId: string; outcome: string; ground: string; decidedOn: string; action: 'REFLECT_WHEN_PUBLISHED' | 'RECORD_CHANGE' | 'DONE' }[];
}

export async function listRemedies(ctx: Pick<ActionContext, 'now'>, caseId: string): Promise<RemediesView> {
  const c = await requireCase(caseId);
  const d = await requireDecision(caseId);
  requireIssued(d);
  const on = today(ctx);
  const [items, served] = await Promise.all([remedies.remediesOf(caseId), servedOn(d)]);
  const w = served ? remedyWindows(served) : undefined;
  const due = w ? enforcementApplicationDue(w, on, items.length > 0, (await unpaidFine(c, d, on)) === true) : undefined;
  return {
    decisionDate: d.draft.decisionDate,
    servedOn: served ?? null,
    windows: w ? { ...w, reconsiderationOpen: on <= w.reconsiderationUntil, litigationOpen: on <= w.litigationUntil } : null,
    items,
    enforcementApplicationDue: due ? { ...due, rule: '当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行行政决定的，行政机关可以自期限届满之日起三个月内申请人民法院强制执行（行政强制法第五十三条；申请前应依第五十四条催告）' } : null,
    publicationMustReflect: items.flatMap((r) =>
      r.outcome?.publication.effect === 'REFLECT_WHEN_PUBLISHED'
        ? [
            {
              remedyId: r.id,
              outcome: r.outcome.outcome,
              ground: r.outcome.publication.ground,
              decidedOn: r.outcome.decidedOn,
              action: d.status === 'ISSUED' ? ('REFLECT_WHEN_PUBLISHED' as const) : d.status === 'PUBLISHED' && !d.pendingWithdrawal ? ('RECORD_CHANGE' as const) : ('DONE' as const),
            },
          ]
        : [],
    ),
  };
}
