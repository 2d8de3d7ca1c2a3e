/**
 * The annual report's figures (ReportFigures in annual-report.ts) as API schemas: the public report
 * (GET /public/reports/{year}) and the legal division's (GET /reports/annual/{year}) document the same
 * shape from here.
 */
import * as z from './z.ts';
import { REMEDY_OUTCOMES } from './remedy.ts';
import type { RemedyOutcome } from './remedy.ts';

const count = z.number().int().min(0);
const share = z.number().nullable().meta({ description: '百分比（一位小数）；无分母时为 null' });
const yuanText = z.string().meta({ description: '金额（元），两位小数的十进制字符串' });
/** shared/domain/annual-report.ts ReportFigures. */
const figureFields = {
  licensing: z.object({ applied: count, accepted: count, granted: count, refused: count, revoked: count }),
  penalties: z.object({
    total: count,
    byType: z.record(z.string(), count).meta({ description: '按处罚种类（并处的按最重的一种计 1 件）' }),
    finesYuan: yuanText.meta({ description: '决定的罚款金额（元），计入决定年度' }),
    confiscatedYuan: yuanText.meta({ description: '决定的没收金额（元）' }),
    finesCollectedYuan: yuanText.meta({ description: '罚款收缴金额（元）：本年度实际缴纳的罚款，按缴款日期计，不含加处罚款' }),
  }),
  remedies: z
    .object({
      reconsiderations: count.meta({ description: '本年度申请的行政复议（件）' }),
      litigations: count.meta({ description: '本年度提起的行政诉讼（件，一审、二审、再审各计 1 件）' }),
      outcomes: z.object(Object.fromEntries(REMEDY_OUTCOMES.map((o) => [o, count])) as Record<RemedyOutcome, typeof count>).meta({ description: '本年度作出的复议决定、裁判，按结果：维持、变更、撤销、确认违法、责令重新作出' }),
      decided: count,
      corrected: count.meta({ description: '维持以外的结果（件）' }),
      correctedPercent: share.meta({ description: '纠错率：维持以外的结果占全部结果的百分比；无结果时为 null' }),
    })
    .meta({ description: '行政复议、行政诉讼（P6）' }),
  coerciveMeasures: count,
  inspections: count,
  otherActs: count,
  reviews: z.object({ done: count, passed: count, returned: count }),
  disclosure: z.object({ due: count, onTime: count, onTimePercent: share }),
  officers: z.object({ total: count, validCertificates: count, validCertificatesPercent: share, trainedEnough: count, trainedEnoughPercent: share }),
  reviewers: z.object({ reviewers: count, officers: count, ratioPercent: share, belowMinimum: z.boolean() }),
};
export const reportFigures = z.object(figureFields).meta({ id: 'ReportFigures', description: '统计数字（shared/domain/annual-report.ts 的 ReportFigures）' });
export const agencyFigures = z.object({ agencyId: z.string(), agencyName: z.string(), ...figureFields }).meta({ id: 'AgencyReportFigures' });
