/**
 * The review catalogue (法制审核目录, L3) as data: which decisions need a legal review, the "large
 * fine" thresholds, the materials to submit, the reviewer's working days and the collective
 * discussion's quorum. Apart from review.ts because its rules come from decision.ts (N10 defaults),
 * which the review routes and tasks need only on some steps (issue 13: not at every cold start).
 */
import * as z from './z.ts';
import { MAX_YUAN } from './money.ts';
import { boundedInt } from './numbers.ts';
import { singleLineText } from './text.ts';
import { POWER_TYPES } from './power-types.ts';
import type { PowerType } from './power-types.ts';
import { DEFAULT_REVIEW_CATALOGUE, REVIEW_RULE_IDS } from './decision.ts';

export const reviewCatalogueContent = z.strictObject({
  enabledRules: z.array(z.enum(REVIEW_RULE_IDS)).max(REVIEW_RULE_IDS.length),
  largeFineYuan: z.strictObject({ natural: boundedInt(1, MAX_YUAN, '较大数额罚款（元）'), org: boundedInt(1, MAX_YUAN, '较大数额罚款（元）') }),
  /** Materials the handling division submits, per decision kind (completeness check). */
  requiredMaterials: z.record(z.enum(POWER_TYPES), z.array(singleLineText({ min: 2, max: 60 })).max(30)),
  /** N9: working days for the reviewer's opinion. */
  opinionWorkingDays: boundedInt(1, 60, '审核期限（工作日）'),
  /** L6: leaders who must take part in a collective discussion. */
  minCollectiveLeaders: boundedInt(1, 20, '集体讨论最少负责人数'),
});
export type ReviewCatalogueContent = z.infer<typeof reviewCatalogueContent>;

export const DEFAULT_REVIEW_CATALOGUE_CONTENT: ReviewCatalogueContent = {
  // The scope rules and thresholds have one source: decision.ts (N10 defaults).
  enabledRules: [...DEFAULT_REVIEW_CATALOGUE.enabled],
  largeFineYuan: { natural: DEFAULT_REVIEW_CATALOGUE.largeFineFen.natural / 100, org: DEFAULT_REVIEW_CATALOGUE.largeFineFen.org / 100 },
  requiredMaterials: {
    PENALTY: ['决定书草稿', '证据清单', '调查终结报告', '听证笔录（举行听证的）'],
    LICENSING: ['决定书草稿', '申请材料', '审查意见'],
    COERCION: ['决定书草稿', '证据清单', '强制措施审批表'],
    INSPECTION: ['检查记录', '处理意见'],
    OTHER: ['决定书草稿'],
  } as Record<PowerType, string[]>,
  opinionWorkingDays: 10,
  minCollectiveLeaders: 3,
};
