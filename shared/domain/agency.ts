/** Enforcement subjects (执法主体): the city bureau and the bureaus under it (D1). */
import * as z from './z.ts';
import { isValidCreditCode } from './identifiers.ts';
import { versionNo } from './numbers.ts';
import { singleLineText } from './text.ts';
import { DEFAULT_DOCUMENT_NO_FORMAT, documentNoFormatProblem } from '../documents/number.ts';

export const AGENCY_LEVELS = ['CITY', 'COUNTY', 'DISTRICT', 'DEVELOPMENT_ZONE'] as const;
export type AgencyLevel = (typeof AGENCY_LEVELS)[number];

export const agencyId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, { message: '机构编号只能包含小写字母、数字和连字符，长度 2–40' })
  .meta({ description: '执法主体编号', example: 'sq-city' });

const agencyFields = {
  name: singleLineText({ min: 2, max: 60 }).meta({ description: '执法主体名称' }),
  level: z.enum(AGENCY_LEVELS).meta({ description: '层级：市、县、区、开发区' }),
  region: singleLineText({ min: 2, max: 60 }).meta({ description: '管辖区域' }),
  parentId: agencyId.nullable().optional().meta({ description: '上级机构编号' }),
  creditCode: z
    .string()
    .refine(isValidCreditCode, { message: '统一社会信用代码无效（校验位不符）' })
    .optional()
    .meta({ description: '统一社会信用代码' }),
  address: singleLineText({ max: 120 }).optional().meta({ description: '办公地址' }),
  phone: singleLineText({ max: 30 }).optional().meta({ description: '对外办公电话' }),
  // The penalty documents (P7): their numbers and the rights and payment the decision states (P5, P6).
  documentNoPrefix: singleLineText({ min: 1, max: 20 }).optional().meta({ description: '文书编号的机关代字，如 宿市监', example: '宿市监' }),
  documentNoFormat: singleLineText({ min: 5, max: 60 })
    .superRefine((value, ctx) => {
      const problem = documentNoFormatProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional()
    .meta({ description: `文书编号格式，默认 ${DEFAULT_DOCUMENT_NO_FORMAT}（{prefix} 机关代字，{word} 文书代字，{year} 年份，{seq} 序号）` }),
  paymentBank: singleLineText({ min: 2, max: 60 }).optional().meta({ description: '代收罚款的银行（罚缴分离，P5）' }),
  paymentAccountName: singleLineText({ min: 2, max: 60 }).optional().meta({ description: '收款账户名称' }),
  paymentAccount: singleLineText({ min: 4, max: 40 }).optional().meta({ description: '收款账号' }),
  reconsiderationBody: singleLineText({ min: 2, max: 60 }).optional().meta({ description: '行政复议机关（决定书告知，P6）' }),
  court: singleLineText({ min: 2, max: 60 }).optional().meta({ description: '有管辖权的人民法院（决定书告知，P6）' }),
};

/** The agency settings a penalty document needs (P5–P7), with their labels for the error. */
export const DOCUMENT_SETTINGS = {
  documentNoPrefix: '文书编号的机关代字',
  address: '办公地址（告知书载明）',
  phone: '对外办公电话（告知书载明）',
  paymentBank: '代收罚款的银行',
  paymentAccountName: '收款账户名称',
  paymentAccount: '收款账号',
  reconsiderationBody: '行政复议机关',
  court: '人民法院',
} as const;

export const createAgencyBody = z.strictObject({ id: agencyId.optional(), ...agencyFields });
export type CreateAgencyBody = z.infer<typeof createAgencyBody>;

export const updateAgencyBody = z
  .strictObject({
    version: versionNo,
    name: agencyFields.name.optional(),
    level: agencyFields.level.optional(),
    region: agencyFields.region.optional(),
    parentId: agencyFields.parentId,
    creditCode: agencyFields.creditCode,
    address: agencyFields.address,
    phone: agencyFields.phone,
    documentNoPrefix: agencyFields.documentNoPrefix,
    documentNoFormat: agencyFields.documentNoFormat,
    paymentBank: agencyFields.paymentBank,
    paymentAccountName: agencyFields.paymentAccountName,
    paymentAccount: agencyFields.paymentAccount,
    reconsiderationBody: agencyFields.reconsiderationBody,
    court: agencyFields.court,
  });
export type UpdateAgencyBody = z.infer<typeof updateAgencyBody>;

export interface Agency {
  readonly id: string;
  readonly name: string;
  readonly level: AgencyLevel;
  readonly region: string;
  readonly parentId: string | null;
  readonly creditCode?: string;
  readonly address?: string;
  readonly phone?: string;
  readonly documentNoPrefix?: string;
  readonly documentNoFormat?: string;
  readonly paymentBank?: string;
  readonly paymentAccountName?: string;
  readonly paymentAccount?: string;
  readonly reconsiderationBody?: string;
  readonly court?: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const publicAgency = z
  .object({
    id: z.string(),
    name: z.string(),
    level: z.enum(AGENCY_LEVELS),
    region: z.string(),
    parentId: z.string().nullable(),
  })
  .meta({ id: 'PublicAgency', description: '执法主体（公开信息）' });
export type PublicAgency = z.infer<typeof publicAgency>;

export const toPublicAgency = (a: Pick<Agency, 'id' | 'name' | 'level' | 'region' | 'parentId'>): PublicAgency => ({
  id: a.id,
  name: a.name,
  level: a.level,
  region: a.region,
  parentId: a.parentId ?? null,
});

/**
 * A parent must sit above its child: a city has no parent; others hang under a city (or a county
 * for a development zone). Returns a zh-CN problem, or undefined when the hierarchy is fine.
 */
export function hierarchyProblem(level: AgencyLevel, parent: Pick<Agency, 'level'> | undefined): string | undefined {
  if (level === 'CITY') return parent ? '市级执法主体不能有上级机构' : undefined;
  if (!parent) return '县、区、开发区执法主体必须指定上级机构';
  if (parent.level === 'CITY') return undefined;
  if (level === 'DEVELOPMENT_ZONE' && (parent.level === 'COUNTY' || parent.level === 'DISTRICT')) return undefined;
  return '上级机构层级不符';
}
