/**
 * Versioned lists: the power list (职权事项清单, D2) and the random-inspection item list
 * (双随机抽查事项清单, D3). Items change when laws change (立改废): each change is a new version
 * with its own effective date; earlier versions stay queryable by `asOf`.
 */
import * as z from './z.ts';
import { calendarDate } from './dates.ts';
import { agencyId } from './agency.ts';
import { versionNo } from './numbers.ts';
import { multiLineText, singleLineText } from './text.ts';

export { POWER_TYPES, POWER_TYPE_LABELS } from './power-types.ts';
export type { PowerType } from './power-types.ts';
import { POWER_TYPES } from './power-types.ts';
import { reviewCatalogueContent } from './review-catalogue.ts';
import { firstViolationContent } from './first-violation.ts';

export const itemCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{1,39}$/, { message: '事项编码只能包含字母、数字、点、下划线和连字符，长度 2–40' })
  .meta({ description: '项目编码', example: 'XK-001' });

/** A single line (names, short values) or prose that may span lines (legal basis, guides). */
const line = (max: number) => singleLineText({ min: 1, max });
const prose = (max: number) => multiLineText({ min: 1, max });

export const powerContent = z.strictObject({
  name: line(200).meta({ description: '事项名称' }),
  type: z.enum(POWER_TYPES).meta({ description: '类型：许可、处罚、强制、检查、其他' }),
  agencyId: agencyId.meta({ description: '实施主体' }),
  handlingDivision: line(60).meta({ description: '承办机构' }),
  legalBasis: prose(4000).meta({ description: '设定依据' }),
  timeLimit: prose(200).meta({ description: '办理时限' }),
  flowchart: prose(4000).meta({ description: '流程图（说明或链接）' }),
  serviceGuide: prose(8000).meta({ description: '服务指南' }),
  remedies: prose(1000).meta({ description: '救济渠道' }),
  category: singleLineText({ max: 30 }).optional().meta({ description: '执法类别' }),
});
export type PowerContent = z.infer<typeof powerContent>;

export const inspectionContent = z.strictObject({
  name: line(200).meta({ description: '抽查事项名称' }),
  agencyId: agencyId.meta({ description: '抽查主体' }),
  basis: prose(4000).meta({ description: '抽查依据' }),
  object: prose(500).meta({ description: '抽查对象' }),
  content: prose(2000).meta({ description: '抽查内容' }),
  ratio: line(100).meta({ description: '抽查比例' }),
  method: prose(200).meta({ description: '抽查方式' }),
  frequency: line(100).meta({ description: '抽查频次' }),
});
export type InspectionContent = z.infer<typeof inspectionContent>;

export const CATALOG_KINDS = {
  POWER: { label: '职权事项', content: powerContent },
  INSPECTION: { label: '抽查事项', content: inspectionContent },
  // L3: the review catalogue (目录清单), one item (code `default`), versioned like the lists.
  REVIEW_CATALOGUE: { label: '法制审核目录', content: reviewCatalogueContent },
  // P9: an agency's published first-violation list (首违不罚清单), one item per listed violation.
  FIRST_VIOLATION: { label: '首违不罚清单事项', content: firstViolationContent },
} as const;
export type CatalogKind = keyof typeof CATALOG_KINDS;

export interface CatalogVersion<C> {
  readonly kind: CatalogKind;
  readonly code: string;
  readonly versionNo: number;
  /** First day in force. */
  readonly effectiveFrom: string;
  /** First day no longer in force (exclusive); absent while open-ended. */
  readonly effectiveTo?: string;
  readonly content: C;
  readonly changeNote?: string;
  readonly repealReason?: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export const createBody = <C extends z.ZodType>(content: C) =>
  z.strictObject({
    code: itemCode,
    effectiveFrom: calendarDate.optional().meta({ description: '生效日期，缺省为今天' }),
    content,
  });

export const updateBody = <C extends z.ZodType>(content: C) =>
  z.strictObject({
    version: versionNo.meta({ description: '读取时的最新版本号（乐观锁）' }),
    effectiveFrom: calendarDate.optional().meta({ description: '新版本生效日期，缺省为今天' }),
    changeNote: multiLineText({ max: 500 }).optional().meta({ description: '变更说明（如依据的法规修订）' }),
    content,
  });

export const repealBody = z.strictObject({
  version: versionNo,
  effectiveTo: calendarDate.optional().meta({ description: '废止日期（当日起不再有效），缺省为今天' }),
  reason: multiLineText({ min: 2, max: 500 }),
});

export const inForce = (v: Pick<CatalogVersion<unknown>, 'effectiveFrom' | 'effectiveTo'>, asOf: string): boolean =>
  v.effectiveFrom <= asOf && (v.effectiveTo === undefined || v.effectiveTo > asOf);

/** The version in force on `asOf`, from versions in any order. */
export function versionAsOf<V extends Pick<CatalogVersion<unknown>, 'effectiveFrom' | 'effectiveTo'>>(
  versions: readonly V[],
  asOf: string,
): V | undefined {
  return versions.find((v) => inForce(v, asOf));
}

/**
 * Why a new version (or a repeal) cannot follow the latest one, or undefined when it can.
 * A new version must start after the latest started; it closes the latest on its start day.
 */
export function successionProblem(
  latest: Pick<CatalogVersion<unknown>, 'effectiveFrom' | 'effectiveTo'>,
  effectiveFrom: string,
): string | undefined {
  if (effectiveFrom <= latest.effectiveFrom) {
    return `新版本生效日期必须晚于现行版本的生效日期 ${latest.effectiveFrom}`;
  }
  if (latest.effectiveTo !== undefined && effectiveFrom < latest.effectiveTo) {
    // A repeal is scheduled: a new version before it would silently drop the repeal.
    return `该事项已定于 ${latest.effectiveTo} 废止，新版本须自该日或之后生效`;
  }
  // Open-ended, or repealed before this date (a re-enactment, with a gap in force).
  return undefined;
}

export function repealProblem(
  latest: Pick<CatalogVersion<unknown>, 'effectiveFrom' | 'effectiveTo'>,
  effectiveTo: string,
): string | undefined {
  if (latest.effectiveTo !== undefined) return `该事项已于 ${latest.effectiveTo} 废止`;
  if (effectiveTo <= latest.effectiveFrom) return `废止日期必须晚于生效日期 ${latest.effectiveFrom}`;
  return undefined;
}
