/**
 * Enforcement officers (执法人员) and their certificates (D4, D5, S1, S2). Personal data (ID
 * number, phone) is stored for the bureau's own use and never leaves through the public API.
 */
import * as z from './z.ts';
import { config } from './config.ts';
import { calendarDate, pastDate, shanghaiToday } from './dates.ts';
import { agencyId } from './agency.ts';
import { CERTIFICATE_NO_RE, isValidIdNumber, normaliseCertificateNo, PHONE_RE } from './identifiers.ts';
import { boundedInt, stepped, versionNo } from './numbers.ts';
import { multiLineText, singleLineText } from './text.ts';

export const CERTIFICATE_STATUSES = ['VALID', 'SUSPENDED', 'REVOKED'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];
/** What the public check says: the stored status, or EXPIRED once validUntil has passed. */
export type EffectiveCertificateStatus = CertificateStatus | 'EXPIRED';

/** S1: at least 40 hours of training a year (configurable). */
export const ANNUAL_TRAINING_HOURS_REQUIRED = config().ANNUAL_TRAINING_HOURS;

export const certificateNo = z
  .string()
  .transform(normaliseCertificateNo)
  .refine((v) => CERTIFICATE_NO_RE.test(v), {
    message: '执法证件编号格式无效：可含一个省份简称，后接 6–20 位数字或大写字母',
  })
  .meta({ description: '执法证件编号', example: '32130001001' });

const category = singleLineText({ min: 2, max: 30 });

const officerFields = {
  name: singleLineText({ min: 2, max: 30 }).meta({ description: '姓名' }),
  agencyId: agencyId.meta({ description: '所属执法主体' }),
  certificateNo,
  categories: z.array(category).min(1).max(20).meta({ description: '执法类别' }),
  region: singleLineText({ min: 2, max: 60 }).meta({ description: '执法区域' }),
  validUntil: calendarDate.meta({ description: '证件有效期至' }),
  legalQualification: z.boolean().default(false).meta({ description: '是否具有法律职业资格' }),
  reviewer: z.boolean().default(false).meta({ description: '是否为法制审核人员' }),
  division: singleLineText({ max: 40 }).optional().meta({ description: '所在处室（如法规处）' }),
  idNumber: z
    .string()
    .toUpperCase()
    .refine(isValidIdNumber, { message: '身份证号码无效（格式或校验位不符）' })
    .optional()
    .meta({ description: '身份证号码（个人信息，不公开）' }),
  phone: z.string().regex(PHONE_RE, { message: '电话号码格式无效' }).optional().meta({ description: '联系电话（个人信息，不公开）' }),
};

export const createOfficerBody = z.strictObject({
  ...officerFields,
  certificateStatus: z.enum(CERTIFICATE_STATUSES).default('VALID'),
});
export type CreateOfficerBody = z.infer<typeof createOfficerBody>;

export const updateOfficerBody = z.strictObject({
  version: versionNo,
  name: officerFields.name.optional(),
  agencyId: officerFields.agencyId.optional(),
  certificateNo: certificateNo.optional(),
  categories: officerFields.categories.optional(),
  region: officerFields.region.optional(),
  validUntil: officerFields.validUntil.optional(),
  legalQualification: z.boolean().optional(),
  reviewer: z.boolean().optional(),
  division: officerFields.division,
  idNumber: officerFields.idNumber,
  phone: officerFields.phone,
});
export type UpdateOfficerBody = z.infer<typeof updateOfficerBody>;

export const certificateStatusBody = z.strictObject({
  version: versionNo,
  status: z.enum(CERTIFICATE_STATUSES),
  reason: multiLineText({ min: 2, max: 200 }).meta({ description: '变更原因' }),
  validUntil: calendarDate.optional().meta({ description: '换证或延期后的有效期' }),
});
export type CertificateStatusBody = z.infer<typeof certificateStatusBody>;

export const trainingBody = z.strictObject({
  version: versionNo,
  year: boundedInt(2000, 2100, '年度'),
  // Half-hour steps from 0.5 to 400 (zod's multipleOf lets 5e-324 through: see numbers.ts).
  hours: stepped({ min: 0.5, max: 400, step: 0.5, label: '培训学时' }),
  course: singleLineText({ min: 2, max: 100 }),
  completedOn: pastDate({ futureMessage: '培训完成日期不能晚于今天' }),
});
export type TrainingBody = z.infer<typeof trainingBody>;

export interface TrainingRecord {
  readonly year: number;
  readonly hours: number;
  readonly course: string;
  readonly completedOn: string;
}

export interface CertificateChange {
  readonly at: string;
  readonly from: CertificateStatus;
  readonly to: CertificateStatus;
  readonly reason: string;
  readonly by: string;
}

export interface Officer {
  readonly id: string;
  readonly name: string;
  readonly agencyId: string;
  readonly certificateNo: string;
  readonly categories: readonly string[];
  readonly region: string;
  readonly certificateStatus: CertificateStatus;
  readonly validUntil: string;
  readonly legalQualification: boolean;
  readonly reviewer: boolean;
  readonly division?: string;
  readonly idNumber?: string;
  readonly phone?: string;
  readonly training: readonly TrainingRecord[];
  readonly certificateHistory: readonly CertificateChange[];
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function effectiveCertificateStatus(
  o: Pick<Officer, 'certificateStatus' | 'validUntil'>,
  today: string = shanghaiToday(),
): EffectiveCertificateStatus {
  if (o.certificateStatus !== 'VALID') return o.certificateStatus;
  return o.validUntil < today ? 'EXPIRED' : 'VALID';
}

/** Hours per year, and whether each year meets the S1 minimum. */
export function trainingSummary(training: readonly TrainingRecord[]): { year: number; hours: number; meetsRequirement: boolean }[] {
  const byYear = new Map<number, number>();
  for (const t of training) byYear.set(t.year, (byYear.get(t.year) ?? 0) + t.hours);
  return [...byYear.entries()]
    .sort(([a], [b]) => b - a)
    .map(([year, hours]) => ({ year, hours, meetsRequirement: hours >= ANNUAL_TRAINING_HOURS_REQUIRED }));
}

export const publicOfficer = z
  .object({
    id: z.string(),
    name: z.string(),
    agencyId: z.string(),
    agencyName: z.string(),
    certificateNo: z.string(),
    categories: z.array(z.string()),
    region: z.string(),
    certificateStatus: z.enum([...CERTIFICATE_STATUSES, 'EXPIRED']),
    validUntil: z.string(),
  })
  .meta({ id: 'PublicOfficer', description: '执法人员（公开信息，不含个人信息）' });
export type PublicOfficer = z.infer<typeof publicOfficer>;

export const certificateCheck = z
  .object({
    certificateNo: z.string(),
    status: z.enum(['VALID', 'EXPIRED', 'SUSPENDED', 'REVOKED']),
    name: z.string(),
    agencyName: z.string(),
    categories: z.array(z.string()),
    region: z.string(),
    validUntil: z.string(),
  })
  .meta({ id: 'CertificateCheck', description: '执法证件核验结果' });
export type CertificateCheck = z.infer<typeof certificateCheck>;

/** The admin view: everything, with training summarised per year. */
export function officerView(o: Officer, today = shanghaiToday()) {
  return {
    ...o,
    effectiveCertificateStatus: effectiveCertificateStatus(o, today),
    trainingHoursByYear: trainingSummary(o.training),
  };
}

/** The view other internal users get: no personal data. */
export function officerInternalView(o: Officer, today = shanghaiToday()) {
  const { idNumber: _id, phone: _phone, ...rest } = officerView(o, today);
  return rest;
}
