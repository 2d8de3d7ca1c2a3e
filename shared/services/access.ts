/**
 * The policy of shared/domain/access.ts applied to stored entities: loads the chain of agencies
 * above an entity's agency, so that the city bureau's staff reach its county bureaus' data.
 */
import { authorize, permits } from '../domain/access.ts';
import type { Permission } from '../domain/access.ts';
import type { Identity } from '../domain/identity.ts';
import { getAgency } from '../store/registry.ts';

/** Agencies change rarely (a new county bureau, a re-parenting): a short cache keeps reads off the hot path. */
const CACHE_MS = 60_000;
const MAX_DEPTH = 8;
const chains = new Map<string, { readonly at: number; readonly chain: readonly string[] }>();

/**
 * The agency and the agencies above it, nearest first. An unknown agency, or a broken hierarchy,
 * yields what could be read: never more than that, so access can only shrink.
 */
export async function agencyChain(agencyId: string): Promise<readonly string[]> {
  const hit = chains.get(agencyId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.chain;
  const chain: string[] = [agencyId];
  let current = await getAgency(agencyId);
  while (current?.parentId && !chain.includes(current.parentId) && chain.length < MAX_DEPTH) {
    chain.push(current.parentId);
    current = await getAgency(current.parentId);
  }
  chains.set(agencyId, { at: Date.now(), chain });
  return chain;
}

/** Forget cached hierarchies (after an agency's parent changes; tests). */
export const forgetAgencyChains = (): void => chains.clear();

/**
 * Throws 403 unless `identity` may do `permission` to an entity of `agencyId` (or, for review
 * permissions, is one of `assignees`). Loads the hierarchy only when the caller's own agency is not
 * the entity's.
 */
export async function requireAccess(identity: Identity, permission: Permission, agencyId: string, assignees: readonly string[] = []): Promise<void> {
  const own = { agencies: [agencyId], assigneeOfficerIds: assignees };
  if (permits(identity, permission, own)) return;
  authorize(identity, permission, { agencies: await agencyChain(agencyId), assigneeOfficerIds: assignees });
}
