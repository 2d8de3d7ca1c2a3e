/**
 * Publication of decisions (D7–D11, N1–N5): publish the redacted record, exempt with a ground and an
 * approver, correct with a new public version, withdraw within 3 working days. The public record is
 * built only from redacted values and written only to the Disclosures table.
 */
import {
  disclosurePeriod,
  EXEMPTION_LABELS,
  inPenaltyRegister,
  PENALTY_LABELS,
  WITHDRAWAL_LABELS,
  WITHDRAWAL_WORKING_DAYS,
} from '../domain/decision.ts';
import { decisionNumber, servedText } from '../domain/decision-record.ts';
import type { Decision } from '../domain/decision-record.ts';
import type { Case } from '../domain/case.ts';
import { shanghaiToday } from '../domain/dates.ts';
import { assertDates, changeDateProblem, correctionDateProblem, latestPastDate, publicationDateProblem } from '../domain/date-rules.ts';
import { PUBLICITY_NOTICE } from '../domain/disclosure.ts';
import type { PublicDecision } from '../domain/disclosure.ts';
import { fenToYuan, yuanToFen } from '../domain/money.ts';
import { BusinessRuleError, ConflictError } from '../domain/errors.ts';
import { addMonths } from '../domain/working-days.ts';
import { currentCalendar } from './calendar.ts';
import { randomBytes } from 'node:crypto';
import { redactDecision } from '../domain/redact-decision.ts';
import type { RedactionManifest } from '../domain/redaction.ts';
import type * as z from '../domain/z.ts';
import type { correctBody, decisionChangedBody, exemptBody, withdrawBody } from '../domain/decision.ts';
import * as store from '../store/cases.ts';
import { addToAggregate } from '../store/aggregates.ts';
import { yearOf } from '../domain/dates.ts';
import * as disclosures from '../store/disclosures.ts';
import { getAgency, requireAgency } from '../store/registry.ts';
import type { AuditEvent } from '../domain/audit.ts';
import { commit } from '../store/transact.ts';
import { countBusiness } from '../aws/metrics.ts';
import type { Write } from '../store/transact.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';
import { requireCase } from './cases.ts';
import { checkVersion, requireDecision, requireStatus } from './decisions.ts';

const nowIso = (ctx: ActionContext) => (ctx.now ?? new Date()).toISOString();

type Overrides = Partial<Pick<PublicDecision, 'documentText' | 'conclusion' | 'violationType' | 'legalBasis'>>;

/** The public record of a decision: redacted per policy (D9, N2), with its manifest for the case file. */
async function buildRecord(c: Case, d: Decision, publicationDate: string, publicVersion: number, overrides: Overrides, corrections: PublicDecision['corrections']) {
  const agency = await getAgency(c.agencyId);
  const draft = d.draft;
  const served = overrides.documentText ?? servedText(d);
  // The salt keys the hashes in the manifest; it stays in the internal case file, never published.
  const salt = randomBytes(32).toString('hex');
  const redacted = redactDecision({ party: c.party, documentText: served, thirdPartyNames: draft.thirdPartyNames, salt, createdAt: new Date().toISOString() });
  const period = disclosurePeriod(draft);
  let endsOn = addMonths(publicationDate, period.months);
  if (period.atLeastUntil && period.atLeastUntil > endsOn) endsOn = period.atLeastUntil;
  const record: PublicDecision = {
    id: d.publicId,
    decisionNo: redacted.redactOther(decisionNumber(d)),
    kind: draft.kind,
    penaltyRegister: inPenaltyRegister(draft),
    party: {
      kind: c.party.kind,
      name: redacted.partyName,
      ...(c.party.creditCode && c.party.kind !== 'PERSON' ? { creditCode: c.party.creditCode } : {}),
    },
    ...((overrides.violationType ?? draft.violationType) ? { violationType: redacted.redactOther(overrides.violationType ?? draft.violationType ?? '') } : {}),
    conclusion: redacted.redactOther(overrides.conclusion ?? draft.conclusion),
    penalties: draft.penalties.map((p) => PENALTY_LABELS[p]),
    fine: fenToYuan(yuanToFen(draft.fine)),
    confiscatedValue: fenToYuan(yuanToFen(draft.confiscatedValue)),
    // Every published text field goes through the same redaction, not only the document.
    legalBasis: redacted.redactOther(overrides.legalBasis ?? draft.legalBasis),
    authority: agency?.name ?? c.agencyId,
    agencyId: c.agencyId,
    decisionDate: draft.decisionDate,
    publicationDate,
    disclosureEndsOn: endsOn,
    documentText: redacted.documentText,
    notice: PUBLICITY_NOTICE,
    publicVersion,
    corrections,
  };
  return { record, manifest: redacted.manifest, salt, period: { ...period, endsOn }, facts: redacted.redactOther(draft.facts) };
}

function manifestWrite(caseId: string, publicVersion: number, manifest: RedactionManifest, salt: string): Write {
  return {
    kind: 'put',
    table: 'Cases',
    item: { pk: `CASE#${caseId}`, sk: `REDACTION#${String(publicVersion).padStart(6, '0')}`, entity: 'RedactionManifest', publicVersion, manifest, salt },
    condition: 'attribute_not_exists(pk)',
  };
}

export async function publish(ctx: ActionContext, caseId: string, expectedVersion: number): Promise<Decision> {
  const c = await requireCase(caseId);
  const d = await requireDecision(caseId);
  checkVersion(d, expectedVersion);
  requireStatus(d, ['ISSUED'], '公示');
  const at = nowIso(ctx);
  const today = shanghaiToday(ctx.now);
  // Issuing already refuses a date ahead; this also holds for decisions issued before that rule.
  assertDates(publicationDateProblem(today, d.draft.decisionDate));
  const { record, manifest, salt, period, facts } = await buildRecord(c, d, today, 1, {}, []);
  const late = d.publicationDue !== undefined && today > d.publicationDue.dueDate;
  const next: Decision = { ...d, status: 'PUBLISHED', version: d.version + 1, publishedAt: at, publicationDate: today, publicVersion: 1, disclosure: period, updatedAt: at };
  const writes: Write[] = [
      store.putDecision(next, d.version),
      ...disclosures.publishWrites(record, 0),
      manifestWrite(caseId, 1, manifest, salt),
      store.putEvent(caseId, {
        type: 'publication.published',
        label: late ? '公示（已超过公示期限）' : '公示',
        at,
        by: ctx.identity.name,
        details: { publicId: d.publicId, publicationDate: today, dueDate: d.publicationDue?.dueDate, late, disclosureEndsOn: period.endsOn },
      }),
      // D13: published on time, counted in the year the publication was due.
      ...(d.publicationDue && !late ? [addToAggregate(c.agencyId, yearOf(d.publicationDue.dueDate), { disclosureOnTime: 1 })!] : []),
  ];
  const events = [{ action: 'decision.publish', entityType: 'Decision', entityId: caseId, change: { publicId: d.publicId, publicationDate: today, late, redactions: manifest.findings.length, publishedSha256: manifest.publishedSha256 } }];
  // Issue 12: the record names its own audit event (chain, seq, hash), in the same transaction.
  const proofRefs = (chained: readonly AuditEvent[]) => disclosures.proofRefWrites(d.publicId, chained);
  if (d.document) {
    // A generated 决定书 gets its 行政处罚信息摘要 (Order 45 Art 4, P7) from the published, redacted record.
    const [{ commitWithDocument }, { penaltyInWords }, { chineseDate }] = await Promise.all([import('./documents.ts'), import('./procedure.ts'), import('../documents/fill.ts')]);
    const agency = await requireAgency(c.agencyId);
    const fields = {
      decisionNo: record.decisionNo,
      partyName: record.party.name,
      creditCode: record.party.creditCode,
      // An organisation's legal representative is part of the summary; a person's own details are not.
      legalRepresentative: c.party.kind === 'PERSON' ? undefined : c.party.legalRepresentative,
      violationType: record.violationType ?? c.summary,
      facts,
      legalBasis: record.legalBasis,
      penaltyContent: `${penaltyInWords(d.draft)}。`,
      fine: d.draft.penalties.includes('FINE') ? record.fine : undefined,
      decisionDate: chineseDate(d.draft.decisionDate),
    };
    await commitWithDocument(ctx, c, agency, { type: 'PENALTY_SUMMARY', date: today, fields }, () => writes, () => events, proofRefs);
  } else {
    await commit(commitContext(ctx), writes, events, proofRefs);
  }
  // Only a decision with a computed due date is on time or late.
  if (d.publicationDue) countBusiness(late ? 'DecisionsPublishedLate' : 'DecisionsPublishedOnTime', c.agencyId);
  return next;
}

export async function exempt(ctx: ActionContext, caseId: string, body: z.infer<typeof exemptBody>): Promise<Decision> {
  const c = await requireCase(caseId);
  const d = await requireDecision(caseId);
  checkVersion(d, body.version);
  requireStatus(d, ['ISSUED'], '不予公开');
  const at = nowIso(ctx);
  const next: Decision = { ...d, status: 'EXEMPT', version: d.version + 1, exemption: { ground: body.ground, approver: body.approver, note: body.note, at, by: ctx.identity.name }, updatedAt: at };
  await commit(
    commitContext(ctx),
    [
      store.putDecision(next, d.version),
      store.putEvent(caseId, { type: 'publication.exempt', label: `不予公开：${EXEMPTION_LABELS[body.ground]}`, at, by: ctx.identity.name, details: { ground: body.ground, approver: body.approver } }),
      // D13: an exempt decision is not due for publication after all.
      ...(d.publicationDue ? [addToAggregate(c.agencyId, yearOf(d.publicationDue.dueDate), { disclosureDue: -1 })!] : []),
    ],
    [{ action: 'decision.exempt', entityType: 'Decision', entityId: caseId, change: { ground: body.ground, approver: body.approver, note: body.note } }],
  );
  return next;
}

export async function correct(ctx: ActionContext, caseId: string, body: z.infer<typeof correctBody>): Promise<Decision> {
  const c = await requireCase(caseId);
  const d = await requireDecision(caseId);
  checkVersion(d, body.version);
  requireStatus(d, ['PUBLISHED'], '更正');
  assertDates(correctionDateProblem(shanghaiToday(ctx.now), d.draft.decisionDate));
  const current = await disclosures.getRecord(d.publicId);
  if (!current || current.status !== 'PUBLIC') throw new ConflictError('INVALID_STATE', '公示记录已不在公开状态，不能更正');
  const { version: _v, reason, ...changes } = body;
  if (Object.keys(changes).length === 0) throw new BusinessRuleError('NOTHING_TO_CORRECT', '请至少更正一项内容');
  const at = nowIso(ctx);
  const publicVersion = (d.publicVersion ?? 1) + 1;
  const overrides: Overrides = {
    documentText: changes.documentText ?? servedText(d),
    ...(changes.conclusion ? { conclusion: changes.conclusion } : {}),
    ...(changes.violationType ? { violationType: changes.violationType } : {}),
    ...(changes.legalBasis ? { legalBasis: changes.legalBasis } : {}),
  };
  const corrections = [...current.record.corrections, { correctedAt: at, reason, publicVersion }];
  const { record, manifest, salt } = await buildRecord(c, d, current.record.publicationDate, publicVersion, overrides, corrections);
  // Keep the original publication's disclosure end: a correction does not restart the period.
  const corrected: PublicDecision = { ...record, disclosureEndsOn: current.record.disclosureEndsOn };
  const next: Decision = {
    ...d,
    version: d.version + 1,
    publicVersion,
    corrections: [...d.corrections, { at, reason, by: ctx.identity.name, publicVersion }],
    updatedAt: at,
  };
  await commit(
    commitContext(ctx),
    [
      store.putDecision(next, d.version),
      ...disclosures.publishWrites(corrected, publicVersion - 1),
      manifestWrite(caseId, publicVersion, manifest, salt),
      store.putEvent(caseId, { type: 'publication.corrected', label: '更正公示信息', at, by: ctx.identity.name, details: { reason, publicVersion } }),
    ],
    [{ action: 'decision.correct', entityType: 'Decision', entityId: caseId, change: { reason, publicVersion, fields: Object.keys(changes) } }],
    // Issue 12: the record names its own audit event (chain, seq, hash), in the same transaction.
    (chained) => disclosures.proofRefWrites(d.publicId, chained),
  );
  return next;
}

/**
 * N4: a published decision was changed, revoked or found unlawful. Recorded at once, so the daily check
 * can warn before the 3 working days to take it down run out; `withdraw` then takes it down.
 */
export async function recordChange(ctx: ActionContext, caseId: string, body: z.infer<typeof decisionChangedBody>): Promise<Decision> {
  const d = await requireDecision(caseId);
  checkVersion(d, body.version);
  requireStatus(d, ['PUBLISHED'], '登记决定变更');
  if (d.pendingWithdrawal) throw new ConflictError('ALREADY_RECORDED', `已于 ${d.pendingWithdrawal.at} 登记决定变更，应于 ${d.pendingWithdrawal.dueDate} 前撤下公示`);
  assertDates(changeDateProblem(body.changedOn, d.draft.decisionDate, latestPastDate(ctx.now ?? new Date())));
  // N4's 3 working days: provisional in a year without holiday data, never a refused takedown.
  const due = (await currentCalendar()).addWorkingDays(body.changedOn, WITHDRAWAL_WORKING_DAYS);
  const at = nowIso(ctx);
  const pendingWithdrawal = { ground: body.ground, changedOn: body.changedOn, reason: body.reason, at, by: ctx.identity.name, dueDate: due.dueDate, ...(due.provisional ? { provisional: due.provisional } : {}) };
  const next: Decision = { ...d, pendingWithdrawal, version: d.version + 1, updatedAt: at };
  await commit(
    commitContext(ctx),
    [
      store.putDecision(next, d.version),
      store.putEvent(caseId, { type: 'publication.changed', label: `决定${WITHDRAWAL_LABELS[body.ground]}，应于 ${due.dueDate}${due.provisional ? '（暂定）' : ''} 前撤下公示`, at, by: ctx.identity.name, details: { ground: body.ground, changedOn: body.changedOn, dueDate: due.dueDate, ...(due.provisional ? { provisional: due.provisional.note } : {}) } }),
    ],
    [{ action: 'decision.changed', entityType: 'Decision', entityId: caseId, change: { ground: body.ground, changedOn: body.changedOn, reason: body.reason, dueDate: due.dueDate } }],
  );
  return next;
}

export async function withdraw(ctx: ActionContext, caseId: string, body: z.infer<typeof withdrawBody>): Promise<Decision> {
  const d = await requireDecision(caseId);
  checkVersion(d, body.version);
  requireStatus(d, ['PUBLISHED'], '撤下公示');
  const current = await disclosures.getRecord(d.publicId);
  if (!current) throw new ConflictError('INVALID_STATE', '没有公示记录');
  const at = nowIso(ctx);
  const today = shanghaiToday(ctx.now);
  assertDates(changeDateProblem(body.changedOn, d.draft.decisionDate, latestPastDate(ctx.now ?? new Date())));
  const due = (await currentCalendar()).addWorkingDays(body.changedOn, WITHDRAWAL_WORKING_DAYS);
  const onTime = today <= due.dueDate;
  const next: Decision = {
    ...d,
    status: 'WITHDRAWN',
    version: d.version + 1,
    pendingWithdrawal: undefined,
    withdrawal: { ground: body.ground, changedOn: body.changedOn, reason: body.reason, at, by: ctx.identity.name, dueDate: due.dueDate, onTime, ...(due.provisional ? { provisional: due.provisional } : {}) },
    updatedAt: at,
  };
  await commit(
    commitContext(ctx),
    [
      store.putDecision(next, d.version),
      ...disclosures.removeFromViewWrites(current.record, 'WITHDRAWN', { withdrawnOn: today, withdrawalGround: body.ground }),
      store.putEvent(caseId, {
        type: 'publication.withdrawn',
        label: `撤下公示：${WITHDRAWAL_LABELS[body.ground]}${onTime ? '' : '（已超过 3 个工作日期限）'}`,
        at,
        by: ctx.identity.name,
        details: { ground: body.ground, changedOn: body.changedOn, dueDate: due.dueDate, onTime },
      }),
    ],
    [{ action: 'decision.withdraw', entityType: 'Decision', entityId: caseId, change: { ground: body.ground, changedOn: body.changedOn, reason: body.reason, dueDate: due.dueDate, onTime } }],
    // Issue 12: the record names its own audit event (chain, seq, hash), in the same transaction.
    (chained) => disclosures.proofRefWrites(d.publicId, chained),
  );
  return next;
}
