/**
 * The review catalogue (目录清单, L3) in force on a date: what admins last set, or the national
 * defaults (N8, N10) until they set anything. Used by the scope check, the materials check and the
 * opinion deadline.
 */
import { versionAsOf } from '../domain/catalog.ts';
import type { ReviewCatalogue } from '../domain/decision.ts';
import { DEFAULT_REVIEW_CATALOGUE_CONTENT } from '../domain/review-catalogue.ts';
import type { ReviewCatalogueContent } from '../domain/review-catalogue.ts';
import * as catalogStore from '../store/catalog.ts';

export const REVIEW_CATALOGUE_CODE = 'default';

export async function reviewCatalogueContentAsOf(date: string): Promise<ReviewCatalogueContent> {
  const versions = await catalogStore.getVersions<ReviewCatalogueContent>('REVIEW_CATALOGUE', REVIEW_CATALOGUE_CODE);
  return versionAsOf(versions, date)?.content ?? DEFAULT_REVIEW_CATALOGUE_CONTENT;
}

export const toScopeCatalogue = (c: ReviewCatalogueContent): ReviewCatalogue => ({
  enabled: c.enabledRules,
  largeFineFen: { natural: c.largeFineYuan.natural * 100, org: c.largeFineYuan.org * 100 },
});
