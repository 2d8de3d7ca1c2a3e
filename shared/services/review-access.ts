/**
 * A review and who may see or act on it: what the read routes of functions/reviews need, apart from
 * the step machinery of reviews.ts (workflow, case and decision writes), which the handler loads on
 * the first step request only (issue 13). reviews.ts re-exports both.
 */
import type { Permission } from '../domain/access.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Identity } from '../domain/identity.ts';
import type { Review } from '../domain/review-record.ts';
import * as store from '../store/reviews.ts';
import { requireAccess } from './access.ts';

export async function requireReview(id: string): Promise<Review> {
  const r = await store.getReview(id);
  if (!r) throw new NotFoundError(`法制审核 ${id} 不存在`, 'REVIEW_NOT_FOUND');
  return r;
}

/** The policy (shared/domain/access.ts) applied to a review: its case's agency chain and its assigned reviewer. */
export async function requireReviewAccess(identity: Identity, permission: Permission, r: Pick<Review, 'agencyId' | 'reviewerId'>): Promise<void> {
  await requireAccess(identity, permission, r.agencyId, r.reviewerId ? [r.reviewerId] : []);
}
