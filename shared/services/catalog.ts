/**
 * Use cases for the versioned lists (D2, D3): create an item, make a new version, repeal, read as
 * of a date. Every change is one transaction with its audit event.
 */
import { canonicalJson } from '../domain/audit.ts';
import { CATALOG_KINDS, repealProblem, successionProblem } from '../domain/catalog.ts';
import type { CatalogKind, CatalogVersion } from '../domain/catalog.ts';
import { shanghaiToday } from '../domain/dates.ts';
import { BusinessRuleError, ConflictError, NotFoundError, VersionConflictError } from '../domain/errors.ts';
import * as store from '../store/catalog.ts';
import { requireAgency } from '../store/registry.ts';
import { commit } from '../store/transact.ts';
import type { Write } from '../store/transact.ts';
import type { AuditEventInput } from '../domain/audit.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';

import { getItem } from './catalog-read.ts';

export { getItem };
export type { ItemView } from './catalog-read.ts';

const label = (kind: CatalogKind) => CATALOG_KINDS[kind].label;
const today = (ctx?: ActionContext) => shanghaiToday(ctx?.now);

async function checkAgency(content: unknown) {
  const agencyId = (content as { agencyId?: string }).agencyId;
  if (agencyId) {
    try {
      await requireAgency(agencyId);
    } catch (e) {
      if (e instanceof NotFoundError) throw new BusinessRuleError('AGENCY_NOT_FOUND', `实施主体 ${agencyId} 不存在`);
      throw e;
    }
  }
}

/** The writes and audit event for an item's first version or next version (shared by import). */
export function planVersion<C>(
  ctx: ActionContext,
  kind: CatalogKind,
  code: string,
  latest: CatalogVersion<C> | undefined,
  content: C,
  effectiveFrom: string,
  changeNote?: string,
): { version: CatalogVersion<C>; writes: Write[]; event: AuditEventInput } {
  const version: CatalogVersion<C> = {
    kind,
    code,
    versionNo: (latest?.versionNo ?? 0) + 1,
    effectiveFrom,
    content,
    ...(changeNote ? { changeNote } : {}),
    createdAt: (ctx.now ?? new Date()).toISOString(),
    createdBy: ctx.identity.name,
  };
  if (!latest) {
    return {
      version,
      writes: [store.putFirstVersion(version, label(kind))],
      event: { action: `${kind.toLowerCase()}.create`, entityType: kind, entityId: code, change: { versionNo: 1, effectiveFrom, content } },
    };
  }
  const problem = successionProblem(latest, effectiveFrom);
  if (problem) throw new BusinessRuleError('INVALID_EFFECTIVE_DATE', problem, [{ path: 'body.effectiveFrom', message: problem }]);
  const writes: Write[] = [store.putNextVersion(version, label(kind))];
  // An open-ended latest closes on the new start day; a repealed one stays as it is (the put of
  // version n+1, conditional on its absence, already guards against a concurrent change).
  if (latest.effectiveTo === undefined) writes.push(store.closeVersion(kind, code, latest.versionNo, effectiveFrom, undefined));
  return {
    version,
    writes,
    event: {
      action: `${kind.toLowerCase()}.version`,
      entityType: kind,
      entityId: code,
      change: { versionNo: version.versionNo, effectiveFrom, previousVersionNo: latest.versionNo, content, ...(changeNote ? { changeNote } : {}) },
    },
  };
}

export async function createItem<C>(ctx: ActionContext, kind: CatalogKind, code: string, content: C, effectiveFrom?: string): Promise<CatalogVersion<C>> {
  await checkAgency(content);
  const plan = planVersion(ctx, kind, code, undefined, content, effectiveFrom ?? today(ctx));
  await commit(commitContext(ctx), plan.writes, [plan.event]);
  return plan.version;
}

export async function updateItem<C>(
  ctx: ActionContext,
  kind: CatalogKind,
  code: string,
  expectedVersion: number,
  content: C,
  effectiveFrom?: string,
  changeNote?: string,
): Promise<CatalogVersion<C>> {
  const versions = await store.getVersions<C>(kind, code, true);
  const latest = versions.at(-1);
  if (!latest) throw new NotFoundError(`${label(kind)} ${code} 不存在`);
  if (latest.versionNo !== expectedVersion) throw new VersionConflictError(label(kind), expectedVersion, latest.versionNo);
  if (canonicalJson(latest.content) === canonicalJson(content) && latest.effectiveTo === undefined) {
    throw new ConflictError('NO_CHANGE', '内容与现行版本相同，无需新建版本');
  }
  await checkAgency(content);
  const plan = planVersion(ctx, kind, code, latest, content, effectiveFrom ?? today(ctx), changeNote);
  await commit(commitContext(ctx), plan.writes, [plan.event]);
  return plan.version;
}

export async function repealItem(ctx: ActionContext, kind: CatalogKind, code: string, expectedVersion: number, reason: string, effectiveTo?: string) {
  const versions = await store.getVersions(kind, code, true);
  const latest = versions.at(-1);
  if (!latest) throw new NotFoundError(`${label(kind)} ${code} 不存在`);
  if (latest.versionNo !== expectedVersion) throw new VersionConflictError(label(kind), expectedVersion, latest.versionNo);
  const end = effectiveTo ?? today(ctx);
  const problem = repealProblem(latest, end);
  if (problem) throw new BusinessRuleError('INVALID_EFFECTIVE_DATE', problem);
  await commit(
    commitContext(ctx),
    [store.closeVersion(kind, code, latest.versionNo, end, undefined, { repealReason: reason }), store.noLaterVersion(kind, code, latest.versionNo)],
    [{ action: `${kind.toLowerCase()}.repeal`, entityType: kind, entityId: code, change: { versionNo: latest.versionNo, effectiveTo: end, reason } }],
  );
  return getItem(kind, code, today(ctx));
}
