/**
 * The content of one item of an agency's published 首违不罚清单 (P9). Its own module: the catalogue
 * (shared/domain/catalog.ts, loaded by most functions) needs the schema, not the closing rules.
 */
import * as z from './z.ts';
import { agencyId } from './agency.ts';
import { multiLineText, singleLineText } from './text.ts';

/** One item of an agency's published 首违不罚清单: the violations (by power) it covers and on what terms. */
export const firstViolationContent = z.strictObject({
  name: singleLineText({ min: 2, max: 200 }).meta({ description: '违法行为名称' }),
  agencyId: agencyId.meta({ description: '发布清单的执法主体' }),
  powerCodes: z.array(singleLineText({ min: 2, max: 40 })).min(1).max(50).meta({ description: '对应的行政处罚职权事项编码' }),
  conditions: multiLineText({ min: 2, max: 2000 }).meta({ description: '适用条件（初次违法、危害后果轻微、及时改正的具体标准）' }),
  legalBasis: multiLineText({ min: 2, max: 4000 }).meta({ description: '法律依据' }),
});
export type FirstViolationContent = z.infer<typeof firstViolationContent>;
