/**
 * The general penalty procedure's steps between the draft and the decision (P1–P4, P7): the prior
 * notice with its document, the party's consent to electronic service, the service of any document
 * (with its 送达回证), and the statement and defence or its waiver with the written response. Each step
 * is one transaction with its audit event and timeline entry; the case's version guards the steps that
 * change the case.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AuditEventInput } from '../domain/audit.ts';
import { config } from '../domain/config.ts';
import { fenInWords, yuanToFen } from '../domain/money.ts';
import type { Case } from '../domain/case.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../domain/errors.ts';
import { DISCRETION_LABELS, PENALTY_LABELS, PUBLICATION_WORKING_DAYS, inPenaltyRegister } from '../domain/decision.ts';
import {
  HEARING_REQUEST_WORKING_DAYS,
  PUBLIC_NOTICE_SERVICE_DAYS,
  SERVICE_DUE_DAYS,
  SERVICE_METHOD_LABELS,
  ADOPTION_LABELS,
  STATEMENT_CHANNEL_LABELS,
  STATEMENT_WORKING_DAYS,
  paymentReferenceOf,
  hearingTriggers,
  needsPriorNotice,
  proposedOf,
} from '../domain/procedure.ts';
import type { CaseDocument, ConsentBody, GeneratedDecisionDocument, NoticeBody, NoticeState, ServiceBody, ServiceRecord, Statement, StatementBody, StatementResponseBody } from '../domain/procedure.ts';
import type { Decision } from '../domain/decision-record.ts';
import { addCalendarDays } from '../domain/working-days.ts';
import { ACT_LABELS, PARTY_KIND_LABELS, dateOfInstant } from '../domain/case.ts';
import { allCaseEvidence } from '../store/evidence.ts';
import * as store from '../store/cases.ts';
import { requireAgency } from '../store/registry.ts';
import { commit } from '../store/transact.ts';
import type { Write } from '../store/transact.ts';
import { currentCalendar } from './calendar.ts';
import { checkOfficers, loadOfficers, requireCase } from './cases.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';
import { assertDateWithin, checkCaseVersion, nowIso, partyIdOf, requireCaseEvidence, requireOpen, today } from './case-steps.ts';
import { assertDocumentSettings, commitWithDocument, requireDocument } from './documents.ts';
import { chineseDate } from '../documents/fill.ts';
import { WITHDRAWAL_WAY_LABELS, hearingEnded } from '../domain/hearing.ts';
import { requireDecision, requireStatus } from './decisions.ts';



/** The fields every document about the party shares. */
function partyFields(c: Case) {
  return {
    partyName: c.party.name,
    partyKindLabel: PARTY_KIND_LABELS[c.party.kind],
    ...partyIdOf(c),
    // A case may have been filed without the address; the documents say so rather than stop the procedure.
    partyAddress: c.party.address ?? '（立案时未登记）',
    legalRepresentative: c.party.legalRepresentative,
    caseSummary: c.summary,
    filingDate: chineseDate(c.filingDate),
    powerName: c.powerName,
  };
}

/** The penalty in words, as the documents state it: 罚款人民币50000.00元，没收违法所得（价值人民币1200.00元）. */
export function penaltyInWords(d: Pick<Decision['draft'], 'penalties' | 'fine' | 'confiscatedValue'>): string {
  return d.penalties
    .map((p) => (p === 'FINE' ? `罚款人民币${d.fine}元` : p === 'CONFISCATE_GAINS' || p === 'CONFISCATE_PROPERTY' ? `${PENALTY_LABELS[p]}（价值人民币${d.confiscatedValue}元）` : PENALTY_LABELS[p]))
    .join('，');
}

/** The templates say "经查，" before the facts; facts typed with their own 经查 would say it twice. */
export const factsAfterJingCha = (facts: string): string => facts.replace(/^\s*经查[，,：:]?\s*/, '');

/** The evidence a document lists: the case's sealed evidence with what each proves, else its acts' records. */
async function evidenceList(c: Case): Promise<string[]> {
  const evidence = (await allCaseEvidence(c.id)).filter((e) => e.status === 'SEALED');
  if (evidence.length) return evidence.map((e) => `${e.proves}（${e.fileName}，${e.collectorName}于${chineseDate(e.capturedAt.slice(0, 10))}采集）`);
  const acts = await store.actsOf(c.id);
  if (acts.length) return acts.map((a) => `${ACT_LABELS[a.type]}记录（${chineseDate(dateOfInstant(a.at))}，${a.place}）`);
  return ['本案案卷所附证据材料'];
}

async function officerNames(ids: readonly string[]): Promise<string> {
  const officers = await loadOfficers(ids);
  return ids.map((id) => officers.get(id)?.name ?? id).join('、');
}

// ---------------------------------------------------------------- prior notice (P1)

export interface NoticeResult {
  readonly case: Case;
  readonly document: CaseDocument;
}

/**
 * Makes the 行政处罚告知书 from the current draft: what it proposes is kept, so that the decision may
 * not be heavier (P2). A new notice replaces the previous one; its periods run from its own service.
 */
export async function issueNotice(ctx: ActionContext, caseId: string, body: NoticeBody): Promise<NoticeResult> {
  const c = await requireCase(caseId);
  checkCaseVersion(c, body.version);
  requireOpen(c, '制作告知书');
  const d = await requireDecision(caseId);
  if (!needsPriorNotice(d.draft)) {
    throw new ConflictError('NOTICE_NOT_APPLICABLE', '只有适用一般程序的行政处罚决定须事先告知（P1）：当前草稿不是一般程序的行政处罚');
  }
  requireStatus(d, ['DRAFT', 'REVIEW_PASSED', 'IN_REVIEW'], '制作告知书');
  // A hearing under way answers the current notice; a new one waits until it is held or withdrawn (P3).
  if (c.hearing && !hearingEnded(c.hearing)) {
    throw new ConflictError('HEARING_PENDING', `当事人已就告知书 ${c.hearing.noticeDocumentNo} 要求听证，听证结束（举行或撤回）前不能重新告知`);
  }
  const date = body.date ?? today(ctx);
  assertDateWithin(date, { date: c.filingDate, label: '立案日期' }, ctx, { early: 'NOTICE_BEFORE_FILING', future: 'NOTICE_DATE_IN_FUTURE' }, 'body.date');
  const agency = await requireAgency(c.agencyId);
  assertDocumentSettings(agency, ['documentNoPrefix', 'address', 'phone']);
  const triggers = hearingTriggers(d.draft, c.party.kind);
  const hearingOffered = triggers.length > 0;
  const fields = {
    ...partyFields(c),
    facts: factsAfterJingCha(d.draft.facts),
    violationType: d.draft.violationType ?? c.summary,
    legalBasis: d.draft.legalBasis,
    discretionLabel: DISCRETION_LABELS[d.draft.discretion],
    proposedPenalty: penaltyInWords(d.draft),
    evidence: await evidenceList(c),
    handlingOfficers: await officerNames(c.handlingOfficerIds),
    statementDays: String(STATEMENT_WORKING_DAYS),
    hearingOffered: hearingOffered ? 'true' : undefined,
    hearingDays: String(HEARING_REQUEST_WORKING_DAYS),
    hearingTriggers: triggers.map((t) => t.label).join('、'),
    agencyAddress: agency.address,
    agencyPhone: agency.phone,
  };
  const at = nowIso(ctx);
  let next: Case | undefined;
  const document = await commitWithDocument(
    ctx,
    c,
    agency,
    { type: 'PENALTY_NOTICE', date, fields },
    (doc) => {
      const notice: NoticeState = {
        documentId: doc.id,
        documentNo: doc.documentNo,
        date,
        proposed: proposedOf(d.draft, d.draftHash),
        hearingOffered,
        hearingTriggers: triggers.map((t) => t.trigger),
        issuedBy: ctx.identity.name,
        issuedAt: at,
      };
      next = { ...c, notice, version: c.version + 1, updatedAt: at };
      return [
        store.replaceCase(next, c.version),
        store.putEvent(caseId, {
          type: 'procedure.notice',
          label: c.notice ? '重新制作行政处罚告知书' : '制作行政处罚告知书',
          at,
          by: ctx.identity.name,
          details: { documentNo: doc.documentNo, hearingOffered, ...(c.notice ? { replaces: c.notice.documentNo } : {}) },
        }),
      ];
    },
    (doc) => [
      {
        action: 'case.notice',
        entityType: 'Case',
        entityId: caseId,
        change: { documentNo: doc.documentNo, draftHash: d.draftHash, hearingOffered, hearingTriggers: triggers.map((t) => t.trigger), ...(c.notice ? { replaces: c.notice.documentNo } : {}) },
      },
    ],
  );
  return { case: next as Case, document };
}

// ---------------------------------------------------------------- electronic consent (P4)

export async function recordElectronicConsent(ctx: ActionContext, caseId: string, body: ConsentBody): Promise<Case> {
  const c = await requireCase(caseId);
  checkCaseVersion(c, body.version);
  if (c.status === 'CLOSED') throw new ConflictError('CASE_CLOSED', '案件已结案，不能登记电子送达确认');
  assertDateWithin(body.signedOn, { date: c.filingDate, label: '立案日期' }, ctx, { early: 'CONSENT_BEFORE_FILING', future: 'CONSENT_DATE_IN_FUTURE' }, 'body.signedOn');
  if (body.evidenceId) await requireCaseEvidence(caseId, [body.evidenceId], 'body.evidenceId');
  const at = nowIso(ctx);
  const { version: _v, ...consent } = body;
  const next: Case = { ...c, electronicConsent: { ...consent, recordedBy: ctx.identity.name, recordedAt: at }, version: c.version + 1, updatedAt: at };
  await commit(commitContext(ctx), [store.replaceCase(next, c.version), store.putEvent(caseId, { type: 'procedure.consent', label: '登记当事人同意电子送达', at, by: ctx.identity.name, details: { signedOn: body.signedOn } })], [
    // The address is the party's contact: it stays in the case, not in the trail.
    { action: 'case.electronic-consent', entityType: 'Case', entityId: caseId, change: { signedOn: body.signedOn, evidenceId: body.evidenceId ?? null } },
  ]);
  return next;
}

// ---------------------------------------------------------------- service (P4)

export interface ServiceResult {
  readonly service: ServiceRecord;
  readonly receipt: CaseDocument;
  readonly case: Case;
}

/**
 * Records the service of a document and makes its 送达回证. The first effective service of the current
 * notice starts its statement (and hearing request) period on the working-day calendar.
 */
export async function recordService(ctx: ActionContext, caseId: string, body: ServiceBody): Promise<ServiceResult> {
  const c = await requireCase(caseId);
  if (c.status === 'CLOSED') throw new ConflictError('CASE_CLOSED', '案件已结案，不能登记送达');
  const doc = await requireDocument(caseId, body.documentId);
  if (doc.type === 'SERVICE_RECEIPT') throw new BusinessRuleError('NOT_SERVABLE', '送达回证本身不送达：请登记所送达的文书');
  assertDateWithin(body.servedOn, { date: doc.date, label: `${doc.title}的日期` }, ctx, { early: 'SERVICE_BEFORE_DOCUMENT', future: 'SERVICE_DATE_IN_FUTURE' }, 'body.servedOn');
  if (body.method === 'ELECTRONIC') {
    if (!c.electronicConsent) {
      throw new BusinessRuleError('ELECTRONIC_SERVICE_WITHOUT_CONSENT', '电子送达须事先取得当事人书面同意（APL 第六十一条）：请先登记送达地址确认书（POST /cases/{id}/electronic-consent）', [{ path: 'body.method', message: '无电子送达同意' }]);
    }
    if (c.electronicConsent.signedOn > body.servedOn) {
      throw new BusinessRuleError('ELECTRONIC_SERVICE_WITHOUT_CONSENT', `当事人于 ${c.electronicConsent.signedOn} 才同意电子送达，早于该日的电子送达无效`, [{ path: 'body.servedOn', message: `不早于 ${c.electronicConsent.signedOn}` }]);
    }
  }
  if (body.evidenceId) await requireCaseEvidence(caseId, [body.evidenceId], 'body.evidenceId');
  const officers = await loadOfficers(body.officerIds);
  checkOfficers(body.officerIds, officers, body.servedOn, c.category, false);
  const effectiveOn = body.method === 'PUBLIC_NOTICE' ? addCalendarDays(body.servedOn, PUBLIC_NOTICE_SERVICE_DAYS) : body.servedOn;
  const firstService = doc.servedOn === undefined;
  const isCurrentNotice = c.notice?.documentId === doc.id && firstService;
  const calendar = isCurrentNotice ? await currentCalendar() : undefined;
  const at = nowIso(ctx);
  const service: ServiceRecord = {
    ...body,
    id: randomUUID(),
    caseId,
    documentNo: doc.documentNo,
    documentTitle: doc.title,
    effectiveOn,
    officerNames: body.officerIds.map((id) => officers.get(id)?.name ?? id),
    recordedBy: ctx.identity.name,
    recordedAt: at,
  };
  let next: Case = c;
  if (isCurrentNotice && c.notice && calendar) {
    const statement = calendar.addWorkingDays(effectiveOn, STATEMENT_WORKING_DAYS);
    const hearing = c.notice.hearingOffered ? calendar.addWorkingDays(effectiveOn, HEARING_REQUEST_WORKING_DAYS) : undefined;
    const provisional = statement.provisional ?? hearing?.provisional;
    next = {
      ...c,
      notice: {
        ...c.notice,
        servedOn: effectiveOn,
        statementEndsOn: statement.dueDate,
        ...(hearing ? { hearingRequestEndsOn: hearing.dueDate } : {}),
        ...(provisional ? { provisional: provisional.note } : {}),
      },
      version: c.version + 1,
      updatedAt: at,
    };
  }
  // P5: the 决定书's first service starts the payment period: its account enters the payment queue.
  const paymentWrites = firstService && doc.type === 'PENALTY_DECISION' ? await (await import('./payments.ts')).onDecisionServed(caseId, doc.id, effectiveOn, at) : [];
  const agency = await requireAgency(c.agencyId);
  const receipt = await commitWithDocument(
    ctx,
    c,
    agency,
    {
      type: 'SERVICE_RECEIPT',
      date: body.servedOn,
      fields: {
        ...partyFields(c),
        servedDocumentTitle: doc.title,
        servedDocumentNo: doc.documentNo,
        serviceMethodLabel: SERVICE_METHOD_LABELS[body.method],
        servicePlace: body.place ?? (body.method === 'ELECTRONIC' ? c.electronicConsent?.address : undefined) ?? '—',
        serviceDate: chineseDate(body.servedOn),
        recipient: body.recipient,
        servers: service.officerNames.join('、'),
        serviceNote: body.method === 'PUBLIC_NOTICE' ? `公告送达，自公告之日起经过 ${PUBLIC_NOTICE_SERVICE_DAYS} 日（${chineseDate(effectiveOn)}）视为送达。${body.receipt}` : body.receipt,
      },
    },
    (receiptDoc) => [
      store.putService({ ...service, receiptDocumentId: receiptDoc.id }),
      ...(firstService ? [store.markDocumentServed(doc, effectiveOn)] : []),
      ...paymentWrites,
      ...(next !== c ? [store.replaceCase(next, c.version)] : []),
      store.putEvent(caseId, {
        type: 'procedure.service',
        label: `送达${doc.title}`,
        at,
        by: ctx.identity.name,
        details: {
          documentNo: doc.documentNo,
          method: body.method,
          servedOn: body.servedOn,
          effectiveOn,
          ...(next.notice?.statementEndsOn && next !== c ? { statementEndsOn: next.notice.statementEndsOn } : {}),
          ...(next.notice?.hearingRequestEndsOn && next !== c ? { hearingRequestEndsOn: next.notice.hearingRequestEndsOn } : {}),
        },
      }),
    ],
    (receiptDoc) => [
      {
        action: 'case.service',
        entityType: 'Case',
        entityId: caseId,
        change: { serviceId: service.id, documentNo: doc.documentNo, method: body.method, servedOn: body.servedOn, effectiveOn, receiptDocumentNo: receiptDoc.documentNo, officerIds: body.officerIds },
      },
    ],
  );
  return { service: { ...service, receiptDocumentId: receipt.id }, receipt: { ...receipt }, case: next };
}

// ---------------------------------------------------------------- statement and defence (P2)

export async function recordStatement(ctx: ActionContext, caseId: string, body: StatementBody): Promise<Statement> {
  const c = await requireCase(caseId);
  requireOpen(c, '登记陈述、申辩');
  const notice = c.notice;
  if (!notice) throw new ConflictError('NOTICE_REQUIRED', '尚未制作行政处罚告知书：陈述、申辩针对告知书所告知的拟处罚');
  assertDateWithin(body.receivedOn, { date: notice.date, label: `告知书 ${notice.documentNo} 的日期` }, ctx, { early: 'STATEMENT_BEFORE_NOTICE', future: 'STATEMENT_DATE_IN_FUTURE' }, 'body.receivedOn');
  if (body.evidenceIds.length) await requireCaseEvidence(caseId, body.evidenceIds, 'body.evidenceIds');
  const at = nowIso(ctx);
  const statement: Statement = {
    ...body,
    id: randomUUID(),
    caseId,
    noticeDocumentNo: notice.documentNo,
    late: notice.statementEndsOn !== undefined && body.receivedOn > notice.statementEndsOn,
    recordedBy: ctx.identity.name,
    recordedAt: at,
  };
  const writes: Write[] = [store.putStatement(statement)];
  if (body.kind === 'WAIVER' && !notice.waivedOn) {
    // The case as read: a concurrent change makes this 409 and nothing is written.
    writes.push(store.replaceCase({ ...c, notice: { ...notice, waivedOn: body.receivedOn }, version: c.version + 1, updatedAt: at }, c.version));
  }
  writes.push(
    store.putEvent(caseId, {
      type: 'procedure.statement',
      label: body.kind === 'WAIVER' ? '当事人书面放弃陈述、申辩' : statement.late ? '收到当事人陈述、申辩（逾期）' : '收到当事人陈述、申辩',
      at,
      by: ctx.identity.name,
      details: { statementId: statement.id, receivedOn: body.receivedOn, channel: body.channel, noticeDocumentNo: notice.documentNo },
    }),
  );
  await commit(commitContext(ctx), writes, [
    // What the party said is in the case file; the trail records that it was received and when.
    { action: body.kind === 'WAIVER' ? 'case.statement.waiver' : 'case.statement', entityType: 'Case', entityId: caseId, change: { statementId: statement.id, receivedOn: body.receivedOn, channel: body.channel, late: statement.late, evidenceIds: body.evidenceIds } },
  ]);
  return statement;
}

export async function answerStatement(ctx: ActionContext, caseId: string, statementId: string, body: StatementResponseBody): Promise<Statement> {
  const c = await requireCase(caseId);
  requireOpen(c, '答复陈述、申辩');
  const s = await store.getStatement(caseId, statementId);
  if (!s) throw new NotFoundError(`案件 ${caseId} 没有陈述、申辩记录 ${statementId}`, 'STATEMENT_NOT_FOUND');
  if (s.kind === 'WAIVER') throw new ConflictError('STATEMENT_IS_WAIVER', '放弃陈述、申辩的声明无需复核答复');
  if (s.response) throw new ConflictError('STATEMENT_ALREADY_ANSWERED', '该陈述、申辩已有书面复核意见');
  const at = nowIso(ctx);
  const response = { ...body, by: ctx.identity.name, at };
  await commit(
    commitContext(ctx),
    [store.answerStatement(s, response), store.putEvent(caseId, { type: 'procedure.statement.response', label: '对陈述、申辩作出书面复核意见', at, by: ctx.identity.name, details: { statementId, adoption: body.adoption } })],
    [{ action: 'case.statement.response', entityType: 'Case', entityId: caseId, change: { statementId, adoption: body.adoption } }],
  );
  return { ...s, response };
}

// ---------------------------------------------------------------- the decision's document (P5, P6, P7)

/** What the party said, as the 决定书 states it, with the division's answers. */
function statementFields(statements: readonly Statement[]): { statementSummary?: string; statementResponse?: string } {
  const said = statements.filter((s) => s.kind === 'STATEMENT');
  if (!said.length) return {};
  return {
    statementSummary: said.map((s) => `${chineseDate(s.receivedOn)}（${STATEMENT_CHANNEL_LABELS[s.channel]}）：${s.text}`).join('；'),
    statementResponse: said.map((s) => (s.response ? `${ADOPTION_LABELS[s.response.adoption]}。${s.response.response}` : '')).filter(Boolean).join('；'),
  };
}

/** P3: the hearing as the 决定书 states it, when the party asked for one. */
function hearingFields(c: Case): { hearingSummary?: string } {
  const h = c.hearing;
  if (!h) return {};
  if (h.status === 'HELD' && h.held && h.arrangement) {
    return {
      hearingSummary: `当事人依法要求听证，本局于${chineseDate(h.held.heldOn)}${h.arrangement.public ? '公开' : '不公开'}举行听证（主持人${h.arrangement.officerName}，听证笔录 ${h.held.documentNo}），本决定根据听证笔录作出。`,
    };
  }
  if (h.status === 'WITHDRAWN' && h.withdrawal) return { hearingSummary: `当事人依法要求听证后，于${chineseDate(h.withdrawal.withdrawnOn)}撤回听证要求（${WITHDRAWAL_WAY_LABELS[h.withdrawal.how]}）。` };
  return {};
}

/**
 * Issues a general-procedure penalty with its 行政处罚决定书 (P7): numbered in the agency's 决定书
 * sequence, stating the rights, the payment (place, deadline, reference, surcharge: P5) and the remedies
 * (P6). Its number is the decision's on the public record and its text the served text (N2). `statements`
 * are the ones the gate at issue read (procedure-gate.ts).
 */
export async function issueWithDecisionDocument(
  ctx: ActionContext,
  c: Case,
  d: Decision,
  statements: readonly Statement[],
  issued: (generated: GeneratedDecisionDocument) => Decision,
  writes: (next: Decision) => Write[],
  event: (next: Decision) => AuditEventInput,
): Promise<Decision> {
  const agency = await requireAgency(c.agencyId);
  assertDocumentSettings(agency);
  const cfg = config();
  const paymentReference = paymentReferenceOf(createHash('sha256').update(c.id).digest('hex'), d.draft.decisionDate);
  const hasFine = d.draft.penalties.includes('FINE');
  const fields = {
    ...partyFields(c),
    violationType: d.draft.violationType ?? c.summary,
    facts: factsAfterJingCha(d.draft.facts),
    evidence: await evidenceList(c),
    ...statementFields(statements),
    ...hearingFields(c),
    legalBasis: d.draft.legalBasis,
    discretionLabel: DISCRETION_LABELS[d.draft.discretion],
    penaltyContent: `${penaltyInWords(d.draft)}。`,
    ...(hasFine ? { fine: d.draft.fine, fineInWords: fenInWords(yuanToFen(d.draft.fine)) } : {}),
    paymentDays: String(cfg.PAYMENT_DAYS),
    paymentBank: agency.paymentBank,
    paymentAccount: `${agency.paymentAccountName}，${agency.paymentAccount}`,
    paymentReference,
    surchargeRate: `${cfg.LATE_SURCHARGE_PERCENT_PER_DAY}%`,
    reconsiderationBody: agency.reconsiderationBody,
    reconsiderationDays: String(cfg.RECONSIDERATION_DAYS),
    court: agency.court,
    litigationMonths: String(cfg.LITIGATION_MONTHS),
    ...(inPenaltyRegister(d.draft)
      ? { publicationNotice: `根据《中华人民共和国行政处罚法》第四十八条和《市场监督管理行政处罚信息公示规定》，本行政处罚决定信息将在隐去个人隐私等信息后，自作出之日起${PUBLICATION_WORKING_DAYS.PENALTY}个工作日内依法向社会公开。` }
      : {}),
  };
  let next: Decision | undefined;
  await commitWithDocument(
    ctx,
    c,
    agency,
    { type: 'PENALTY_DECISION', date: d.draft.decisionDate, fields, serviceDueDate: addCalendarDays(d.draft.decisionDate, SERVICE_DUE_DAYS) },
    (doc, text) => {
      next = issued({ document: { id: doc.id, documentNo: doc.documentNo, sha256: doc.sha256 }, text, paymentReference });
      return writes(next);
    },
    () => [event(next as Decision)],
  );
  return next as Decision;
}
