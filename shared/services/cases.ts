/**
 * Use cases for cases and acts (R1, N6, N11, D5): open a case, record an act, extend the decision
 * limit, read the timeline. Every change is one transaction with its audit event.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from '../domain/audit.ts';
import {
  DECISION_LIMIT_DAYS,
  INVESTIGATION_ACTS,
  INVESTIGATION_TYPES,
  MIN_INVESTIGATION_OFFICERS,
  dateOfInstant,
  extensionProblem,
  officerProblem,
} from '../domain/case.ts';
import type { Act, ActBody, Case, CreateCaseBody, ExtensionBody, OfficerProblem } from '../domain/case.ts';
import { versionAsOf } from '../domain/catalog.ts';
import type { PowerContent } from '../domain/catalog.ts';
import { yearOf } from '../domain/dates.ts';
import { actInstantProblem, assertDates, filingDateProblem, latestPastDate } from '../domain/date-rules.ts';
import { BusinessRuleError, ConflictError, ForbiddenError, NotFoundError, ValidationError, VersionConflictError } from '../domain/errors.ts';
import type { Permission } from '../domain/access.ts';
import { requireAccess } from './access.ts';
import type { Identity } from '../domain/identity.ts';
import type { Officer } from '../domain/officer.ts';
import { addCalendarDays } from '../domain/working-days.ts';
import * as catalogStore from '../store/catalog.ts';
import * as store from '../store/cases.ts';
import { addToAggregate } from '../store/aggregates.ts';
import { getOfficer, requireAgency } from '../store/registry.ts';
import { commit } from '../store/transact.ts';
import type { Page, PageRequest } from '../store/query.ts';
import { commitContext } from './context.ts';
import { withNextNumber } from './numbering.ts';
import type { ActionContext } from './context.ts';

const nowIso = (ctx: ActionContext) => (ctx.now ?? new Date()).toISOString();
/** Enough for a burst of a few hundred concurrent filings in one agency; each attempt is one read and one transaction. */
const MAX_NUMBERING_ATTEMPTS = 200;

export async function requireCase(id: string): Promise<Case> {
  const c = await store.getCase(id);
  if (!c) throw new NotFoundError(`案件 ${id} 不存在`, 'CASE_NOT_FOUND');
  return c;
}

/** A case, after the policy (shared/domain/access.ts) allowed `permission` on it: 404 first, then 403. */
export async function requireCaseAccess(identity: Identity, caseId: string, permission: Permission): Promise<Case> {
  const c = await requireCase(caseId);
  await requireAccess(identity, permission, c.agencyId);
  return c;
}

/**
 * The cases an officer handles (`me`: the signed-in user's officer record), newest first. Another
 * officer's list needs the right to read that officer's agency's cases; a case of an agency the caller
 * may not read is left out (an officer moved to another unit keeps markers of the old one's cases).
 */
export async function casesOfHandler(identity: Identity, handler: string, page: PageRequest): Promise<Page<Case>> {
  const officerId = handler === 'me' ? identity.officerId : handler;
  if (!officerId) throw new ValidationError('当前用户未关联执法人员编号（custom:officerId）', [{ path: 'query.handler', message: '无法确定承办人员' }]);
  if (handler !== 'me') {
    const officer = await getOfficer(officerId, true);
    if (!officer) throw new NotFoundError('执法人员不存在');
    await requireAccess(identity, 'case.read', officer.agencyId);
  }
  const res = await store.casesHandledBy(officerId, page);
  const allowed = new Map<string, boolean>();
  for (const agency of new Set(res.items.map((c) => c.agencyId))) {
    allowed.set(agency, await requireAccess(identity, 'case.read', agency).then(() => true, (e: unknown) => {
      if (e instanceof ForbiddenError) return false;
      throw e;
    }));
  }
  return { items: res.items.filter((c) => allowed.get(c.agencyId)), nextCursor: res.nextCursor };
}

export async function loadOfficers(ids: readonly string[]): Promise<Map<string, Officer | undefined>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => getOfficer(id, true)));
  return new Map(unique.map((id, i) => [id, found[i]]));
}

/** N6 and D5: enough officers, each with a certificate valid on `date` that covers the category. */
export function checkOfficers(ids: readonly string[], officers: Map<string, Officer | undefined>, date: string, category: string | undefined, investigation: boolean) {
  if (new Set(ids).size !== ids.length) throw new BusinessRuleError('DUPLICATE_OFFICERS', '执法人员重复');
  if (investigation && ids.length < MIN_INVESTIGATION_OFFICERS) {
    throw new BusinessRuleError('INSUFFICIENT_OFFICERS', `调查取证须有 ${MIN_INVESTIGATION_OFFICERS} 名以上执法人员（N6），现有 ${ids.length} 名`, [
      { path: 'officerIds', message: `至少 ${MIN_INVESTIGATION_OFFICERS} 名` },
    ]);
  }
  const problems = ids.map((id) => officerProblem(officers.get(id), id, date, category)).filter((p): p is OfficerProblem => p !== undefined);
  if (problems.length) {
    throw new BusinessRuleError(
      'CERTIFICATE_INVALID',
      `执法人员须持有有效且涵盖本案执法类别的执法证件：${problems.map((p) => p.message).join('；')}`,
      problems.map((p) => ({ path: `officer ${p.officerId}`, message: p.message, officerId: p.officerId })),
    );
  }
}

export async function openCase(ctx: ActionContext, body: CreateCaseBody): Promise<Case> {
  await requireAgency(body.agencyId);
  // Before the counter is read: a future filing must not take a number of its year.
  assertDates(filingDateProblem(body.filingDate, latestPastDate(ctx.now ?? new Date())));
  const versions = await catalogStore.getVersions<PowerContent>('POWER', body.powerCode);
  if (versions.length === 0) throw new BusinessRuleError('POWER_NOT_FOUND', `职权事项 ${body.powerCode} 不存在`);
  const power = versionAsOf(versions, body.filingDate);
  if (!power) throw new BusinessRuleError('POWER_NOT_IN_FORCE', `职权事项 ${body.powerCode} 在立案日 ${body.filingDate} 不在有效期内`);
  if (power.content.type !== body.enforcementType) {
    throw new BusinessRuleError('POWER_TYPE_MISMATCH', `职权事项 ${body.powerCode} 的类型为 ${power.content.type}，与执法类型 ${body.enforcementType} 不符`);
  }
  const officers = await loadOfficers(body.handlingOfficerIds);
  checkOfficers(body.handlingOfficerIds, officers, body.filingDate, power.content.category, INVESTIGATION_TYPES.includes(body.enforcementType));

  const year = yearOf(body.filingDate);
  const id = randomUUID();
  // Another filing of the same agency may take the number first: then the next one. The number is
  // consumed only in the transaction that files the case, so numbers stay gap-free.
  return withNextNumber(
    () => store.readCounter(body.agencyId, year),
    async (seq) => {
      const at = nowIso(ctx);
      const c: Case = {
        ...body,
        id,
        caseNo: `${body.agencyId.toUpperCase()}-${year}-${String(seq + 1).padStart(5, '0')}`,
        powerVersionNo: power.versionNo,
        powerName: power.content.name,
        ...(power.content.category ? { category: power.content.category } : {}),
        decisionDueDate: addCalendarDays(body.filingDate, DECISION_LIMIT_DAYS),
        extensions: [],
        status: 'OPEN',
        createdBy: ctx.identity.sub,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      // D13: a licensing case is an accepted application (counted in the filing year).
      const counted = body.enforcementType === 'LICENSING' ? addToAggregate(body.agencyId, year, { licensingApplied: 1 }) : undefined;
      await commit(commitContext(ctx), [store.advanceCounter(body.agencyId, year, seq), store.putNewCase(c), ...store.putHandlerMarkers(c), ...(counted ? [counted] : [])], [
        // Personal data of the party stays out of the trail; the case holds it.
        { action: 'case.open', entityType: 'Case', entityId: id, change: { caseNo: c.caseNo, agencyId: c.agencyId, powerCode: c.powerCode, partyKind: c.party.kind, handlingOfficerIds: c.handlingOfficerIds, filingDate: c.filingDate } },
      ]);
      return c;
    },
    (e) => e instanceof store.CaseNumberTakenError,
    MAX_NUMBERING_ATTEMPTS,
  );
}

export async function recordAct(ctx: ActionContext, caseId: string, body: ActBody): Promise<Act> {
  const c = await requireCase(caseId);
  if (c.status === 'CLOSED') throw new ConflictError('CASE_CLOSED', '案件已结案，不能再记录执法行为');
  assertDates(actInstantProblem({ at: body.at, mayPrecedeFiling: body.type === 'INSPECTION' }, c.filingDate, ctx.now ?? new Date()));
  const date = dateOfInstant(body.at);
  const officers = await loadOfficers(body.officerIds);
  checkOfficers(body.officerIds, officers, date, c.category, INVESTIGATION_ACTS.includes(body.type));
  const act: Act = {
    ...body,
    id: randomUUID(),
    caseId,
    officerNames: body.officerIds.map((id) => officers.get(id)?.name ?? id),
    recordedBy: ctx.identity.sub,
    recordedAt: nowIso(ctx),
  };
  const event: AuditEventInput = { action: 'case.act', entityType: 'Case', entityId: caseId, change: { actId: act.id, type: act.type, at: act.at, officerIds: act.officerIds } };
  await commit(commitContext(ctx), [store.putAct(act)], [event]);
  return act;
}

export async function extendDecisionLimit(ctx: ActionContext, caseId: string, body: ExtensionBody): Promise<Case> {
  const c = await requireCase(caseId);
  if (c.version !== body.version) throw new VersionConflictError('案件', body.version, c.version);
  const problem = extensionProblem(c.extensions, body);
  if (problem) throw new BusinessRuleError('EXTENSION_NOT_ALLOWED', problem);
  const at = nowIso(ctx);
  const next: Case = {
    ...c,
    extensions: [...c.extensions, { days: body.days, reason: body.reason, approvedBy: body.approvedBy, collectiveDiscussion: body.collectiveDiscussion, at, by: ctx.identity.name }],
    decisionDueDate: addCalendarDays(c.decisionDueDate, body.days),
    version: c.version + 1,
    updatedAt: at,
  };
  await commit(commitContext(ctx), [store.replaceCase(next, c.version)], [
    { action: 'case.extend', entityType: 'Case', entityId: caseId, change: { days: body.days, reason: body.reason, approvedBy: body.approvedBy, decisionDueDate: { from: c.decisionDueDate, to: next.decisionDueDate } } },
  ]);
  return next;
}
