/**
 * Ending a case without a penalty (不予处罚, 移送, 撤销立案: P8, P9), closing it (结案: P8) with its
 * 结案审批表, and the documents made on demand (立案审批表: P7). Each step is one transaction with its
 * audit event and timeline entry; the case's version guards the steps that change the case.
 */
import type { Case } from '../domain/case.ts';
import { PARTY_KIND_LABELS } from '../domain/case.ts';
import { versionAsOf } from '../domain/catalog.ts';
import {
  CLOSING_REASON_LABELS,
  ISSUED_DECISION_STATUSES,
  ON_DEMAND_DOCUMENT_TYPES,
  closingProblem,
  endingInWords,
  endingStateProblem,
  firstViolationProblem,
} from '../domain/closing.ts';
import type { CaseClosing, CaseEnding, ClosingFacts, CloseBody, DocumentOnDemandBody, EndingBody, FilingApprovalBody, FirstViolationContent } from '../domain/closing.ts';
import { decisionNumber } from '../domain/decision-record.ts';
import type { Decision } from '../domain/decision-record.ts';
import { BusinessRuleError, ConflictError } from '../domain/errors.ts';
import { fenToYuan, yuanToFen } from '../domain/money.ts';
import type { CaseDocument } from '../domain/procedure.ts';
import { DOCUMENT_TYPE_LABELS } from '../documents/types.ts';
import { chineseDate } from '../documents/fill.ts';
import * as catalogStore from '../store/catalog.ts';
import * as store from '../store/cases.ts';
import * as closingStore from '../store/closing.ts';
import { paymentsOf } from '../store/payments.ts';
import { remediesOf } from '../store/remedies.ts';
import { requireAgency } from '../store/registry.ts';
import { commit } from '../store/transact.ts';
import { loadOfficers, requireCase } from './cases.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';
import { assertDateWithin, checkCaseVersion, nowIso, partyIdOf, today } from './case-steps.ts';
import { commitWithDocument } from './documents.ts';
import { penaltyInWords } from './procedure.ts';



// ---------------------------------------------------------------- ending without a penalty (P8, P9)

export async function endCase(ctx: ActionContext, caseId: string, body: EndingBody): Promise<Case> {
  const c = await requireCase(caseId);
  checkCaseVersion(c, body.version);
  const d = await store.getDecision(caseId);
  const state = endingStateProblem(c, d?.status);
  if (state) throw new ConflictError(state.code, state.message, [{ path: 'status', message: state.message, current: c.status, ...(d ? { decisionStatus: d.status } : {}) }]);
  assertDateWithin(body.approvedOn, { date: c.filingDate, label: '立案日期' }, ctx, { early: 'ENDING_BEFORE_FILING', future: 'ENDING_DATE_IN_FUTURE' }, 'body.approvedOn');
  let firstViolationItem: CaseEnding['firstViolationItem'];
  if (body.kind === 'NO_PENALTY' && body.ground === 'FIRST_VIOLATION') {
    const code = body.firstViolationItemCode as string;
    // The list as published on the day the ending was approved.
    const item = versionAsOf(await catalogStore.getVersions<FirstViolationContent>('FIRST_VIOLATION', code, true), body.approvedOn);
    const problem = firstViolationProblem(item, code, c, body.approvedOn);
    if (problem) throw new BusinessRuleError('NOT_ON_FIRST_VIOLATION_LIST', `不能依首违不罚不予处罚：${problem}（APL 第三十三条，P9）`, [{ path: 'body.firstViolationItemCode', message: problem }]);
    firstViolationItem = { code, versionNo: item!.versionNo, name: item!.content.name };
  }
  const at = nowIso(ctx);
  const { version: _v, ...rest } = body;
  const ending = { ...rest, ...(firstViolationItem ? { firstViolationItem } : {}), recordedBy: ctx.identity.name, recordedAt: at } as CaseEnding;
  // DECIDED: the case has its 处理决定 and leaves the 90-day queue (N11); `ending` says which.
  const next: Case = { ...c, status: 'DECIDED', ending, version: c.version + 1, updatedAt: at };
  const codes = {
    kind: body.kind,
    approvedOn: body.approvedOn,
    ...(body.kind === 'NO_PENALTY' ? { ground: body.ground, ...(firstViolationItem ? { firstViolationItemCode: firstViolationItem.code, firstViolationItemVersion: firstViolationItem.versionNo } : {}) } : {}),
    ...(body.kind === 'TRANSFER' ? { target: body.target } : {}),
  };
  await commit(
    commitContext(ctx),
    [store.replaceCase(next, c.version), store.putEvent(caseId, { type: 'procedure.ending', label: `案件终结：${endingInWords(ending)}`, at, by: ctx.identity.name, details: { ...codes, approver: body.approver } })],
    // The reasons and the approver's name are in the case; the trail keeps the codes and the date.
    [{ action: 'case.ending', entityType: 'Case', entityId: caseId, change: codes }],
  );
  return next;
}

// ---------------------------------------------------------------- closing (P8)

export interface CloseResult {
  readonly case: Case;
  readonly document: Omit<CaseDocument, 'objectKey'>;
}

/**
 * The fine's account (P5) of an issued decision with a fine: the payments service's, with the surcharge
 * accrued; a fine without a payment account (no payment reference) counts what was recorded, if anything.
 */
async function fineAccount(ctx: ActionContext, c: Case, d: Decision): Promise<ClosingFacts['fine']> {
  if (!d.draft.penalties.includes('FINE') || yuanToFen(d.draft.fine) <= 0) return undefined;
  try {
    const a = await (await import('./payments.ts')).account(ctx, c.id);
    return { fineFen: yuanToFen(a.fine), paidFen: yuanToFen(a.paid), surchargeFen: yuanToFen(a.surcharge), outstandingFen: yuanToFen(a.outstanding) };
  } catch (e) {
    if (!(e instanceof ConflictError) || e.code !== 'PAYMENT_NOT_APPLICABLE') throw e;
    const fineFen = yuanToFen(d.draft.fine);
    const paidFen = (await paymentsOf(c.id)).reduce((sum, p) => sum + p.amountFen, 0);
    return { fineFen, paidFen, surchargeFen: 0, outstandingFen: Math.max(0, fineFen - paidFen) };
  }
}

export async function closeCase(ctx: ActionContext, caseId: string, body: CloseBody): Promise<CloseResult> {
  const c = await requireCase(caseId);
  if (c.status === 'CLOSED') throw new ConflictError('CASE_CLOSED', `案件 ${c.caseNo} 已结案`);
  checkCaseVersion(c, body.version);
  const [d, remedies] = await Promise.all([store.getDecision(caseId), remediesOf(caseId)]);
  const issued = d !== undefined && ISSUED_DECISION_STATUSES.includes(d.status);
  const fine = issued ? await fineAccount(ctx, c, d) : undefined;
  const openRemedies = remedies.filter((r) => !r.outcome).length;
  const problem = closingProblem({ case: c, ...(d ? { decision: { status: d.status, decisionDate: d.draft.decisionDate } } : {}), ...(fine ? { fine } : {}), openRemedies }, body, today(ctx));
  if (problem) {
    const details = [{ path: problem.path ?? 'case', message: problem.message, ...(problem.code === 'FINE_UNPAID' && fine ? { fine: fenToYuan(fine.fineFen), paid: fenToYuan(fine.paidFen), outstanding: fenToYuan(fine.outstandingFen) } : {}) }];
    throw problem.status === 409 ? new ConflictError(problem.code, problem.message, details) : new BusinessRuleError(problem.code, problem.message, details);
  }
  const fineFen = fine?.fineFen ?? 0;
  const paidFen = fine?.paidFen ?? 0;
  const owedFen = fine?.outstandingFen ?? 0;
  const agency = await requireAgency(c.agencyId);
  const officers = await loadOfficers(c.handlingOfficerIds);
  const performance =
    body.performance ??
    (c.ending
      ? `案件已于${chineseDate(c.ending.approvedOn)}经${c.ending.approver}批准${endingInWords(c.ending)}`
      : fineFen === 0
        ? '行政处罚决定已履行'
        : owedFen === 0
          ? `当事人已缴清罚款人民币${fenToYuan(fineFen)}元${paidFen > fineFen ? `及加处罚款人民币${fenToYuan(paidFen - fineFen)}元` : ''}`
          : `当事人已缴纳人民币${fenToYuan(paidFen)}元，尚欠${fenToYuan(owedFen)}元（含加处罚款）`);
  const closingReason = [
    `${CLOSING_REASON_LABELS[body.reason]}${body.reasonText ? `：${body.reasonText}` : ''}`,
    ...(body.unpaidReason && owedFen > 0 ? [`罚款未缴清的理由：${body.unpaidReason}`] : []),
    ...(body.openRemedyReason && openRemedies > 0 ? [`救济程序尚未终结的理由：${body.openRemedyReason}`] : []),
  ].join('；');
  const fields = {
    partyName: c.party.name,
    ...partyIdOf(c),
    violationType: d?.draft.violationType ?? c.summary,
    filingDate: chineseDate(c.filingDate),
    decisionNo: issued ? decisionNumber(d) : '未作出行政处罚决定',
    decisionDate: issued ? chineseDate(d.draft.decisionDate) : '—',
    penaltyContent: issued ? penaltyInWords(d.draft) : c.ending ? endingInWords(c.ending) : '—',
    performance,
    closingReason,
    handlingOfficers: c.handlingOfficerIds.map((id) => officers.get(id)?.name ?? id).join('、'),
    approvalOpinion: body.approvalOpinion,
    approver: body.approver,
  };
  const at = nowIso(ctx);
  let next: Case | undefined;
  const document = await commitWithDocument(
    ctx,
    c,
    agency,
    { type: 'CLOSING_APPROVAL', date: body.approvedOn, fields },
    (doc) => {
      const { version: _v, ...rest } = body;
      const closing: CaseClosing = { ...rest, documentId: doc.id, documentNo: doc.documentNo, recordedBy: ctx.identity.name, recordedAt: at };
      next = { ...c, status: 'CLOSED', closing, version: c.version + 1, updatedAt: at };
      return [
        store.replaceCase(next, c.version),
        store.putEvent(caseId, {
          type: 'procedure.close',
          label: `结案：${CLOSING_REASON_LABELS[body.reason]}`,
          at,
          by: ctx.identity.name,
          details: { reason: body.reason, approvedOn: body.approvedOn, approver: body.approver, documentNo: doc.documentNo, ...(fineFen ? { fine: fenToYuan(fineFen), paid: fenToYuan(paidFen), outstanding: fenToYuan(owedFen) } : {}), ...(openRemedies ? { openRemedies } : {}) },
        }),
      ];
    },
    (doc) => [
      {
        action: 'case.close',
        entityType: 'Case',
        entityId: caseId,
        change: {
          reason: body.reason,
          approvedOn: body.approvedOn,
          documentNo: doc.documentNo,
          fineFen,
          paidFen,
          openRemedies,
          owedFen,
          unpaidReasonGiven: owedFen > 0,
          ...(c.ending ? { endingKind: c.ending.kind } : {}),
        },
      },
    ],
  );
  const { objectKey: _k, ...doc } = document;
  return { case: next as Case, document: doc };
}

// ---------------------------------------------------------------- documents on demand (P7)

/** Makes the one document of an on-demand type from the case's data (立案审批表 for now). */
export async function makeDocumentOnDemand(ctx: ActionContext, caseId: string, raw: DocumentOnDemandBody): Promise<Omit<CaseDocument, 'objectKey'>> {
  if (!(ON_DEMAND_DOCUMENT_TYPES as readonly string[]).includes(raw.type)) {
    const label = DOCUMENT_TYPE_LABELS[raw.type as keyof typeof DOCUMENT_TYPE_LABELS] ?? raw.type;
    throw new BusinessRuleError('DOCUMENT_TYPE_NOT_ON_DEMAND', `${label}由其办案步骤生成（告知、送达、作出决定、结案等），不能单独制作；可单独制作的文书：${ON_DEMAND_DOCUMENT_TYPES.map((t) => DOCUMENT_TYPE_LABELS[t]).join('、')}`, [
      { path: 'body.type', message: `可选 ${ON_DEMAND_DOCUMENT_TYPES.join(' | ')}` },
    ]);
  }
  // The schema's other branch excludes the on-demand types: this is the FILING_APPROVAL branch.
  const body = raw as FilingApprovalBody;
  const c = await requireCase(caseId);
  const existing = (await store.documentsOf(caseId)).find((d) => d.type === body.type);
  if (existing) throw new ConflictError('DOCUMENT_EXISTS', `本案已制作${existing.title} ${existing.documentNo}`, [{ path: 'body.type', message: existing.documentNo, documentId: existing.id }]);
  const date = body.date ?? c.filingDate;
  // The approval precedes (or is) the filing, and is not still ahead.
  if (date > c.filingDate) throw new BusinessRuleError('FILING_APPROVAL_AFTER_FILING', `立案审批日期 ${date} 晚于立案日期 ${c.filingDate}`, [{ path: 'body.date', message: `不晚于 ${c.filingDate}` }]);
  if (date > today(ctx)) throw new BusinessRuleError('FILING_APPROVAL_DATE_IN_FUTURE', `立案审批日期 ${date} 晚于今天（${today(ctx)}）`, [{ path: 'body.date', message: `不晚于 ${today(ctx)}` }]);
  const agency = await requireAgency(c.agencyId);
  const officers = await loadOfficers(c.handlingOfficerIds);
  const fields = {
    caseSource: body.caseSource,
    partyName: c.party.name,
    partyKindLabel: PARTY_KIND_LABELS[c.party.kind],
    ...partyIdOf(c),
    partyAddress: c.party.address ?? '（立案时未登记）',
    legalRepresentative: c.party.legalRepresentative,
    powerName: c.powerName,
    caseSummary: c.summary,
    handlingOfficers: c.handlingOfficerIds
      .map((id) => {
        const o = officers.get(id);
        return o ? `${o.name}（执法证号 ${o.certificateNo}）` : id;
      })
      .join('、'),
    filingDate: chineseDate(c.filingDate),
    approvalOpinion: body.approvalOpinion,
    approver: body.approver,
  };
  const at = nowIso(ctx);
  const document = await commitWithDocument(
    ctx,
    c,
    agency,
    { type: body.type, date, fields },
    (doc) => [
      closingStore.markOnDemandDocument(caseId, body.type, doc.id, doc.documentNo),
      store.putEvent(caseId, { type: 'procedure.document', label: `制作${doc.title}`, at, by: ctx.identity.name, details: { type: body.type, documentNo: doc.documentNo, date } }),
    ],
    // commitWithDocument records document.create with the type, number and hash.
    () => [],
  );
  const { objectKey: _k, ...doc } = document;
  return doc;
}
