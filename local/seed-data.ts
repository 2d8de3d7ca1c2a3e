/**
 * Demo bureau seed data (D1–D4, S1): a fictional Suqian-flavoured city market supervision bureau
 * with two county bureaus, its officers, power list and random-inspection item list.
 *
 * Pure data, no I/O. Everything here is fictional: names are invented, ID numbers and unified
 * social credit codes are generated (with valid check characters) from obviously made-up parts,
 * phone numbers are placeholders. Legal citations follow the laws in force for realism only.
 */
import type * as z from '../shared/domain/z.ts';
import type { CreateAgencyBody } from '../shared/domain/agency.ts';
import type { createOfficerBody, TrainingRecord } from '../shared/domain/officer.ts';
import type { InspectionContent, PowerContent } from '../shared/domain/catalog.ts';
import { creditCodeCheckChar, idNumberCheckChar } from '../shared/domain/identifiers.ts';

// ---------------------------------------------------------------------------------------------
// Helpers (run at module load; deterministic)
// ---------------------------------------------------------------------------------------------

/** A fictional 18-digit resident ID number: area code + birth date + sequence + GB 11643 check. */
export function fictionalIdNumber(areaCode: string, birth: string, sequence: string): string {
  const first17 = `${areaCode}${birth}${sequence}`;
  if (!/^\d{17}$/.test(first17)) throw new Error(`bad fictional ID parts: ${first17}`);
  return first17 + idNumberCheckChar(first17);
}

/** A fictional unified social credit code for a government organ (登记管理部门 1, 机构类别 1). */
export function fictionalCreditCode(areaCode: string, orgCode: string): string {
  const first17 = `11${areaCode}${orgCode}`;
  const check = creditCodeCheckChar(first17);
  if (first17.length !== 17 || check === '') throw new Error(`bad fictional credit code parts: ${first17}`);
  return first17 + check;
}

/** Placeholder mobile numbers (13800000xxx): obviously not anyone's real number. */
const mobile = (n: number): string => `138000${String(n).padStart(5, '0')}`;

// ---------------------------------------------------------------------------------------------
// Agencies (D1) — parent first
// ---------------------------------------------------------------------------------------------

export const DEMO_CITY_ID = 'sq-city';
export const DEMO_SHUYANG_ID = 'sq-shuyang';
export const DEMO_SIYANG_ID = 'sq-siyang';

export const demoAgencies: CreateAgencyBody[] = [
  {
    id: DEMO_CITY_ID,
    name: '宿迁市市场监督管理局',
    level: 'CITY',
    region: '宿迁市',
    parentId: null,
    creditCode: fictionalCreditCode('321300', '0000DEM01'),
    address: '宿迁市宿城区示范路1号（演示地址）',
    phone: '0527-80000001',
    // The penalty documents' numbers, payment and remedies (P5–P7); fictional bank account.
    documentNoPrefix: '宿市监',
    paymentBank: '中国工商银行宿迁市分行（演示）',
    paymentAccountName: '宿迁市财政局非税收入汇缴结算户（演示）',
    paymentAccount: '1116 0000 0000 0000 001',
    reconsiderationBody: '宿迁市人民政府',
    court: '宿迁市宿城区人民法院',
  },
  {
    id: DEMO_SHUYANG_ID,
    name: '沭阳县市场监督管理局',
    level: 'COUNTY',
    region: '沭阳县',
    parentId: DEMO_CITY_ID,
    creditCode: fictionalCreditCode('321322', '0000DEM02'),
    address: '沭阳县沭城街道示范路2号（演示地址）',
    phone: '0527-80000002',
    // The penalty documents' numbers, payment and remedies (P5–P7); fictional bank account.
    documentNoPrefix: '沭市监',
    paymentBank: '中国工商银行沭阳县分行（演示）',
    paymentAccountName: '沭阳县财政局非税收入汇缴结算户（演示）',
    paymentAccount: '1116 0000 0000 0000 002',
    reconsiderationBody: '沭阳县人民政府',
    court: '沭阳县人民法院',
  },
  {
    id: DEMO_SIYANG_ID,
    name: '泗阳县市场监督管理局',
    level: 'COUNTY',
    region: '泗阳县',
    parentId: DEMO_CITY_ID,
    creditCode: fictionalCreditCode('321323', '0000DEM03'),
    address: '泗阳县众兴街道示范路3号（演示地址）',
    phone: '0527-80000003',
    // The penalty documents' numbers, payment and remedies (P5–P7); fictional bank account.
    documentNoPrefix: '泗市监',
    paymentBank: '中国工商银行泗阳县分行（演示）',
    paymentAccountName: '泗阳县财政局非税收入汇缴结算户（演示）',
    paymentAccount: '1116 0000 0000 0000 003',
    reconsiderationBody: '泗阳县人民政府',
    court: '泗阳县人民法院',
  },
];

// ---------------------------------------------------------------------------------------------
// Officers (D4, S1, S2)
// ---------------------------------------------------------------------------------------------

export type DemoOfficer = z.input<typeof createOfficerBody> & { training?: TrainingRecord[] };

/** The enforcement categories (执法类别) used across the demo. */
export const DEMO_CATEGORIES = [
  '食品安全',
  '药品医疗器械',
  '特种设备',
  '产品质量',
  '价格监督检查',
  '广告监管',
  '网络交易监管',
  '知识产权',
  '计量',
  '综合执法',
  '消费者权益保护',
] as const;

/** Certificates deliberately not valid, so the public check (D5) can show every outcome. */
export const DEMO_SPECIAL_CERTIFICATES = {
  suspended: '32130001007',
  revoked: '32130001013',
  /** Stored as VALID but validUntil has passed: the public check shows EXPIRED. */
  expired: '32130001014',
} as const;

const COURSE = {
  law2025: '2025年度全市市场监管行政执法人员公共法律知识培训',
  law2026: '2026年度全市市场监管行政执法人员公共法律知识培训',
  threeSystems: '行政执法三项制度专题培训',
  penaltyProcedure: '《市场监督管理行政处罚程序规定》专题辅导',
  online2025: '2025年度行政执法人员网上学法',
  online2026: '2026年度行政执法人员网上学法',
  food: '食品安全监管业务能力提升培训',
  drug: '药品医疗器械监管业务培训',
  equipment: '特种设备安全监察业务培训',
  quality: '产品质量与计量监管业务培训',
  price: '价格监督检查与反不正当竞争业务培训',
  ad: '广告与网络交易监管业务培训',
  ip: '知识产权保护执法业务培训',
  review: '重大执法决定法制审核业务培训',
  consumer: '消费者权益保护与投诉举报处理培训',
} as const;

const t = (year: number, hours: number, course: string, completedOn: string): TrainingRecord => ({
  year,
  hours,
  course,
  completedOn,
});

/** 2025: 48 hours (meets S1). */
const full2025 = (specialist: string): TrainingRecord[] => [
  t(2025, 16, COURSE.law2025, '2025-03-21'),
  t(2025, 8, COURSE.threeSystems, '2025-05-16'),
  t(2025, 12, specialist, '2025-09-12'),
  t(2025, 12, COURSE.online2025, '2025-12-10'),
];
/** 2026: 44 hours (meets S1). */
const full2026 = (specialist: string): TrainingRecord[] => [
  t(2026, 16, COURSE.law2026, '2026-03-20'),
  t(2026, 8, COURSE.penaltyProcedure, '2026-06-18'),
  t(2026, 12, specialist, '2026-09-25'),
  t(2026, 8, COURSE.online2026, '2026-11-06'),
];
/** 2025: 28 hours (short of S1). */
const short2025 = (specialist: string): TrainingRecord[] => [
  t(2025, 16, COURSE.law2025, '2025-03-21'),
  t(2025, 12, specialist, '2025-09-12'),
];
/** 2026: 24.5 hours so far (short of S1). */
const short2026 = (specialist: string): TrainingRecord[] => [
  t(2026, 16, COURSE.law2026, '2026-03-20'),
  t(2026, 8.5, specialist, '2026-10-15'),
];

export const demoOfficers: DemoOfficer[] = [
  // ---- 宿迁市市场监督管理局 ----
  {
    name: '周立新',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001001',
    categories: ['综合执法'],
    region: '宿迁市',
    validUntil: '2028-12-31',
    legalQualification: true,
    reviewer: true,
    division: '法规处',
    idNumber: fictionalIdNumber('321302', '19800101', '011'),
    phone: mobile(1),
    training: [...full2025(COURSE.review), ...full2026(COURSE.review)],
  },
  {
    name: '陈晓燕',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001002',
    categories: ['综合执法', '消费者权益保护'],
    region: '宿迁市',
    validUntil: '2028-06-30',
    legalQualification: true,
    reviewer: true,
    division: '法规处',
    idNumber: fictionalIdNumber('321302', '19850101', '022'),
    phone: mobile(2),
    training: [...full2025(COURSE.review), ...full2026(COURSE.consumer)],
  },
  {
    name: '张海涛',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001003',
    categories: ['综合执法', '广告监管'],
    region: '宿迁市',
    validUntil: '2027-12-31',
    reviewer: true,
    division: '法规处',
    idNumber: fictionalIdNumber('321302', '19780101', '031'),
    training: [...short2025(COURSE.review), ...full2026(COURSE.review)],
  },
  {
    name: '李文静',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001004',
    categories: ['食品安全', '综合执法'],
    region: '宿迁市',
    validUntil: '2029-03-31',
    legalQualification: true,
    division: '执法稽查局',
    phone: mobile(4),
    training: [...full2025(COURSE.food), ...full2026(COURSE.food)],
  },
  {
    name: '王志刚',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001005',
    categories: ['价格监督检查', '综合执法'],
    region: '宿迁市',
    validUntil: '2028-09-30',
    division: '执法稽查局',
    idNumber: fictionalIdNumber('321302', '19750101', '051'),
    phone: mobile(5),
    training: [...full2025(COURSE.price), ...short2026(COURSE.price)],
  },
  {
    name: '刘梦婷',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001006',
    categories: ['食品安全'],
    region: '宿迁市',
    validUntil: '2027-09-30',
    division: '食品生产安全监督管理处',
    training: [...full2025(COURSE.food), ...full2026(COURSE.food)],
  },
  {
    name: '孙浩然',
    agencyId: DEMO_CITY_ID,
    certificateNo: DEMO_SPECIAL_CERTIFICATES.suspended,
    categories: ['食品安全', '消费者权益保护'],
    region: '宿迁市',
    validUntil: '2028-03-31',
    certificateStatus: 'SUSPENDED',
    division: '食品经营安全监督管理处',
    training: [...short2025(COURSE.food)],
  },
  {
    name: '朱丽华',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001008',
    categories: ['药品医疗器械'],
    region: '宿迁市',
    validUntil: '2029-06-30',
    legalQualification: true,
    division: '药品医疗器械监督管理处',
    idNumber: fictionalIdNumber('321302', '19880101', '082'),
    phone: mobile(8),
    training: [...full2025(COURSE.drug), ...full2026(COURSE.drug)],
  },
  {
    name: '徐振宇',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001009',
    categories: ['特种设备'],
    region: '宿迁市',
    validUntil: '2027-06-30',
    division: '特种设备安全监察处',
    phone: mobile(9),
    training: [...full2025(COURSE.equipment), ...full2026(COURSE.equipment)],
  },
  {
    name: '吴佳怡',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001010',
    categories: ['产品质量'],
    region: '宿迁市',
    validUntil: '2028-12-31',
    division: '产品质量安全监督管理处',
    training: [...full2025(COURSE.quality), ...short2026(COURSE.quality)],
  },
  {
    name: '胡明杰',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001011',
    categories: ['计量', '产品质量'],
    region: '宿迁市',
    validUntil: '2029-09-30',
    division: '计量处',
    idNumber: fictionalIdNumber('321302', '19820101', '111'),
    training: [...short2025(COURSE.quality), ...full2026(COURSE.quality)],
  },
  {
    name: '杨雪梅',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001012',
    categories: ['广告监管', '网络交易监管'],
    region: '宿迁市',
    validUntil: '2028-06-30',
    legalQualification: true,
    division: '网络交易监督管理处',
    phone: mobile(12),
    training: [...full2025(COURSE.ad), ...full2026(COURSE.ad)],
  },
  {
    name: '赵国栋',
    agencyId: DEMO_CITY_ID,
    certificateNo: DEMO_SPECIAL_CERTIFICATES.revoked,
    categories: ['知识产权'],
    region: '宿迁市',
    validUntil: '2027-12-31',
    certificateStatus: 'REVOKED',
    division: '知识产权保护处',
    training: [...full2025(COURSE.ip)],
  },
  {
    name: '蒋思远',
    agencyId: DEMO_CITY_ID,
    certificateNo: DEMO_SPECIAL_CERTIFICATES.expired,
    categories: ['价格监督检查'],
    region: '宿迁市',
    validUntil: '2025-06-30',
    division: '价格监督检查和反不正当竞争处',
    training: [...short2025(COURSE.price)],
  },
  {
    name: '沈雨桐',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001015',
    categories: ['食品安全', '特种设备', '消费者权益保护'],
    region: '宿迁市宿城区',
    validUntil: '2028-12-31',
    division: '宿城分局',
    phone: mobile(15),
    training: [...full2025(COURSE.food), ...full2026(COURSE.equipment)],
  },
  {
    name: '韩继武',
    agencyId: DEMO_CITY_ID,
    certificateNo: '32130001016',
    categories: ['综合执法', '食品安全'],
    region: '宿迁市宿豫区',
    validUntil: '2027-12-31',
    division: '宿豫分局',
    idNumber: fictionalIdNumber('321311', '19790101', '161'),
    training: [...full2025(COURSE.food), ...short2026(COURSE.food)],
  },

  // ---- 沭阳县市场监督管理局 ----
  {
    name: '顾晓峰',
    agencyId: DEMO_SHUYANG_ID,
    certificateNo: '32132201001',
    categories: ['综合执法'],
    region: '沭阳县',
    validUntil: '2028-12-31',
    legalQualification: true,
    reviewer: true,
    division: '法制科',
    idNumber: fictionalIdNumber('321322', '19830101', '013'),
    phone: mobile(101),
    training: [...full2025(COURSE.review), ...full2026(COURSE.review)],
  },
  {
    name: '陆欣然',
    agencyId: DEMO_SHUYANG_ID,
    certificateNo: '32132201002',
    categories: ['综合执法', '价格监督检查'],
    region: '沭阳县',
    validUntil: '2027-09-30',
    division: '综合行政执法大队',
    training: [...full2025(COURSE.price), ...full2026(COURSE.price)],
  },
  {
    name: '钱卫东',
    agencyId: DEMO_SHUYANG_ID,
    certificateNo: '32132201003',
    categories: ['食品安全'],
    region: '沭阳县',
    validUntil: '2028-03-31',
    division: '食品安全监督管理科',
    phone: mobile(103),
    training: [...short2025(COURSE.food), ...short2026(COURSE.food)],
  },
  {
    name: '许婉清',
    agencyId: DEMO_SHUYANG_ID,
    certificateNo: '32132201004',
    categories: ['特种设备'],
    region: '沭阳县',
    validUntil: '2029-03-31',
    division: '特种设备安全监察科',
    training: [...full2025(COURSE.equipment), ...full2026(COURSE.equipment)],
  },
  {
    name: '戴金龙',
    agencyId: DEMO_SHUYANG_ID,
    certificateNo: '32132201005',
    categories: ['食品安全', '消费者权益保护'],
    region: '沭阳县沭城街道',
    validUntil: '2027-12-31',
    division: '沭城分局',
    idNumber: fictionalIdNumber('321322', '19860101', '051'),
    training: [...full2025(COURSE.consumer), ...full2026(COURSE.food)],
  },
  {
    name: '马俊彦',
    agencyId: DEMO_SHUYANG_ID,
    certificateNo: '32132201006',
    categories: ['药品医疗器械'],
    region: '沭阳县',
    validUntil: '2028-09-30',
    legalQualification: true,
    division: '药品医疗器械监督管理科',
    phone: mobile(106),
    training: [...full2025(COURSE.drug), ...short2026(COURSE.drug)],
  },
  {
    name: '仲秋实',
    agencyId: DEMO_SHUYANG_ID,
    certificateNo: '32132201007',
    categories: ['网络交易监管', '广告监管'],
    region: '沭阳县',
    validUntil: '2029-06-30',
    division: '网络交易和广告监管科',
    training: [...full2025(COURSE.ad), ...full2026(COURSE.ad)],
  },

  // ---- 泗阳县市场监督管理局 ----
  {
    name: '卞玉洁',
    agencyId: DEMO_SIYANG_ID,
    certificateNo: '32132301001',
    categories: ['综合执法'],
    region: '泗阳县',
    validUntil: '2028-06-30',
    legalQualification: true,
    reviewer: true,
    division: '法制科',
    idNumber: fictionalIdNumber('321323', '19870101', '024'),
    phone: mobile(201),
    training: [...full2025(COURSE.review), ...short2026(COURSE.review)],
  },
  {
    name: '季长青',
    agencyId: DEMO_SIYANG_ID,
    certificateNo: '32132301002',
    categories: ['综合执法', '知识产权'],
    region: '泗阳县',
    validUntil: '2027-12-31',
    division: '综合行政执法大队',
    phone: mobile(202),
    training: [...full2025(COURSE.ip), ...full2026(COURSE.ip)],
  },
  {
    name: '葛晨阳',
    agencyId: DEMO_SIYANG_ID,
    certificateNo: '32132301003',
    categories: ['食品安全'],
    region: '泗阳县',
    validUntil: '2028-12-31',
    division: '食品安全监督管理科',
    training: [...full2025(COURSE.food), ...full2026(COURSE.food)],
  },
  {
    name: '邵云帆',
    agencyId: DEMO_SIYANG_ID,
    certificateNo: '32132301004',
    categories: ['产品质量', '计量'],
    region: '泗阳县',
    validUntil: '2029-03-31',
    division: '质量发展和计量科',
    idNumber: fictionalIdNumber('321323', '19810101', '041'),
    training: [...short2025(COURSE.quality), ...full2026(COURSE.quality)],
  },
  {
    name: '汤若溪',
    agencyId: DEMO_SIYANG_ID,
    certificateNo: '32132301005',
    categories: ['食品安全', '特种设备'],
    region: '泗阳县众兴街道',
    validUntil: '2027-09-30',
    division: '众兴分局',
    phone: mobile(205),
    training: [...full2025(COURSE.food), ...full2026(COURSE.equipment)],
  },
  {
    name: '夏宏亮',
    agencyId: DEMO_SIYANG_ID,
    certificateNo: '32132301006',
    categories: ['特种设备'],
    region: '泗阳县',
    validUntil: '2028-09-30',
    division: '特种设备安全监察科',
  },
  {
    name: '严子墨',
    agencyId: DEMO_SIYANG_ID,
    certificateNo: '32132301007',
    categories: ['消费者权益保护', '价格监督检查'],
    region: '泗阳县',
    validUntil: '2029-09-30',
    legalQualification: true,
    division: '消费者权益保护科',
    idNumber: fictionalIdNumber('321323', '19890101', '072'),
    phone: mobile(207),
    training: [...full2025(COURSE.consumer), ...full2026(COURSE.consumer)],
  },
];

// ---------------------------------------------------------------------------------------------
// Power list (D2)
// ---------------------------------------------------------------------------------------------

export interface DemoCatalogItem<C> {
  code: string;
  effectiveFrom: string;
  content: C;
}
export type DemoPower = DemoCatalogItem<PowerContent>;
export type DemoInspectionItem = DemoCatalogItem<InspectionContent>;

const GOVERNMENT: Record<string, string> = {
  [DEMO_CITY_ID]: '宿迁市人民政府',
  [DEMO_SHUYANG_ID]: '沭阳县人民政府',
  [DEMO_SIYANG_ID]: '泗阳县人民政府',
};

const remedies = (agencyId: string): string =>
  `对决定不服的，可以在收到决定书之日起六十日内向${GOVERNMENT[agencyId] ?? '本级人民政府'}申请行政复议，` +
  '或者在六个月内向人民法院提起行政诉讼。';

const PLACE: Record<string, string> = {
  [DEMO_CITY_ID]: '宿迁市政务服务中心市场监管窗口（演示地址）',
  [DEMO_SHUYANG_ID]: '沭阳县政务服务中心市场监管窗口（演示地址）',
  [DEMO_SIYANG_ID]: '泗阳县政务服务中心市场监管窗口（演示地址）',
};
const PHONE: Record<string, string> = {
  [DEMO_CITY_ID]: '0527-80000001',
  [DEMO_SHUYANG_ID]: '0527-80000002',
  [DEMO_SIYANG_ID]: '0527-80000003',
};

/** A service guide (服务指南) for an application-driven item. */
const applicationGuide = (agencyId: string, materials: readonly string[], extra = ''): string =>
  [
    `申请材料：${materials.map((m, i) => `${i + 1}. ${m}`).join('；')}。`,
    `办理地点：${PLACE[agencyId]}，亦可通过江苏政务服务网在线申请。`,
    '办理时间：法定工作日 上午9:00—12:00，下午13:30—17:30。',
    '收费标准：不收费。',
    extra,
    `咨询电话：${PHONE[agencyId]}。`,
  ]
    .filter(Boolean)
    .join('\n');

/** A service guide (执法指南) for an item the bureau initiates. */
const enforcementGuide = (agencyId: string, body: string): string =>
  [
    body,
    '执法人员不少于两人，实施时主动出示行政执法证件，当事人可通过“执法证件核验”查询证件状态。',
    '当事人依法享有陈述、申辩权；符合条件的，享有要求听证的权利。',
    `咨询和投诉举报电话：${PHONE[agencyId]}，12315。`,
  ].join('\n');

const FLOW = {
  licensing: '申请→受理（材料齐全、符合法定形式的当场受理；需补正的一次性告知）→审查（必要时现场核查）→决定→制证送达→公示',
  penalty:
    '案件来源→核查→立案→调查取证→案件核审（重大执法决定法制审核）→行政处罚告知（陈述、申辩、听证）→' +
    '集体讨论（情节复杂或重大违法行为）→作出决定→送达→执行→结案→公示',
  coercion:
    '报经负责人批准（情况紧急的当场实施后24小时内补报）→两名以上执法人员实施→出示执法证件→通知当事人到场→' +
    '告知理由、依据及权利→听取陈述申辩→制作现场笔录→送达查封（扣押）决定书及清单→期限内作出处理决定→解除或依法处理',
  inspection: '制定检查计划→确定检查对象→出示执法证件→现场检查并制作笔录→告知检查结果→责令整改或立案查处→检查结果公示',
} as const;

const PENALTY_LIMIT =
  '自立案之日起九十日内作出处理决定；案情复杂的，经负责人批准可延长三十日（《市场监督管理行政处罚程序规定》）';
const COERCION_LIMIT = '查封、扣押期限不超过三十日；情况复杂的，经负责人批准可延长，延长期限不超过三十日';

const LICENSING = (
  code: string,
  effectiveFrom: string,
  c: Omit<PowerContent, 'type' | 'flowchart' | 'remedies' | 'serviceGuide'> & { materials: string[]; extra?: string },
): DemoPower => {
  const { materials, extra, ...rest } = c;
  return {
    code,
    effectiveFrom,
    content: {
      ...rest,
      type: 'LICENSING',
      flowchart: FLOW.licensing,
      serviceGuide: applicationGuide(rest.agencyId, materials, extra),
      remedies: remedies(rest.agencyId),
    },
  };
};

const PENALTY = (
  code: string,
  effectiveFrom: string,
  c: Omit<PowerContent, 'type' | 'flowchart' | 'remedies' | 'serviceGuide' | 'timeLimit' | 'handlingDivision'> & {
    handlingDivision?: string;
    guide: string;
  },
): DemoPower => {
  const { guide, handlingDivision, ...rest } = c;
  return {
    code,
    effectiveFrom,
    content: {
      ...rest,
      type: 'PENALTY',
      handlingDivision: handlingDivision ?? '执法稽查局',
      timeLimit: PENALTY_LIMIT,
      flowchart: FLOW.penalty,
      serviceGuide: enforcementGuide(rest.agencyId, guide),
      remedies: remedies(rest.agencyId),
    },
  };
};

const COERCION = (
  code: string,
  effectiveFrom: string,
  c: Omit<PowerContent, 'type' | 'flowchart' | 'remedies' | 'serviceGuide' | 'timeLimit'> & {
    timeLimit?: string;
    guide: string;
  },
): DemoPower => {
  const { guide, timeLimit, ...rest } = c;
  return {
    code,
    effectiveFrom,
    content: {
      ...rest,
      type: 'COERCION',
      timeLimit: timeLimit ?? COERCION_LIMIT,
      flowchart: FLOW.coercion,
      serviceGuide: enforcementGuide(rest.agencyId, guide),
      remedies: remedies(rest.agencyId),
    },
  };
};

const INSPECTION = (
  code: string,
  effectiveFrom: string,
  c: Omit<PowerContent, 'type' | 'flowchart' | 'remedies' | 'serviceGuide'> & { guide: string },
): DemoPower => {
  const { guide, ...rest } = c;
  return {
    code,
    effectiveFrom,
    content: {
      ...rest,
      type: 'INSPECTION',
      flowchart: FLOW.inspection,
      serviceGuide: enforcementGuide(rest.agencyId, guide),
      remedies: remedies(rest.agencyId),
    },
  };
};

const FOOD_LAW = '《中华人民共和国食品安全法》';
const DRUG_LAW = '《中华人民共和国药品管理法》';
const EQUIPMENT_LAW = '《中华人民共和国特种设备安全法》';
const QUALITY_LAW = '《中华人民共和国产品质量法》';

export const demoPowers: DemoPower[] = [
  // ---- 行政许可 (8) ----
  LICENSING('XK-SP-001', '2024-01-01', {
    name: '食品经营许可',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '行政审批处',
    legalBasis: `${FOOD_LAW}第三十五条第一款；《食品经营许可和备案管理办法》`,
    timeLimit: '自受理之日起10个工作日；因特殊原因需要延长的，经负责人批准可延长5个工作日',
    category: '食品安全',
    materials: ['食品经营许可申请书', '营业执照或者其他主体资格证明文件', '与食品经营相适应的主要设备设施、经营布局、操作流程等文件', '食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度目录清单'],
    extra: '许可证有效期：5年。',
  }),
  LICENSING('XK-SP-002', '2024-01-01', {
    name: '食品生产许可',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '行政审批处',
    legalBasis: `${FOOD_LAW}第三十五条第一款；《食品生产许可管理办法》`,
    timeLimit: '自受理之日起10个工作日；因特殊原因需要延长的，经负责人批准可延长5个工作日',
    category: '食品安全',
    materials: ['食品生产许可申请书', '食品生产设备布局图和食品生产工艺流程图', '食品生产主要设备、设施清单', '专职或者兼职的食品安全专业技术人员、食品安全管理人员信息和食品安全管理制度'],
    extra: '现场核查由两名以上核查人员实施，核查时间一般不超过2个工作日。',
  }),
  LICENSING('XK-YP-001', '2024-03-01', {
    name: '药品零售企业许可（药品经营许可证核发）',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '行政审批处',
    legalBasis: `${DRUG_LAW}第五十一条、第五十二条；《药品经营和使用质量监督管理办法》`,
    timeLimit: '自受理之日起20个工作日',
    category: '药品医疗器械',
    materials: ['药品经营许可证申请表', '质量管理机构情况以及主要负责人、质量负责人、质量管理部门负责人学历、工作经历相关材料', '执业药师或者其他依法经过资格认定的药学技术人员相关材料', '经营场所、仓库平面布置图及房屋产权或者使用权证明', '药品质量管理制度文件目录'],
  }),
  LICENSING('XK-YL-001', '2024-03-01', {
    name: '第三类医疗器械经营许可',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '行政审批处',
    legalBasis: '《医疗器械监督管理条例》第四十二条；《医疗器械经营监督管理办法》',
    timeLimit: '自受理之日起20个工作日',
    category: '药品医疗器械',
    materials: ['医疗器械经营许可申请表', '法定代表人（企业负责人）、质量负责人身份证明、学历或者职称相关材料', '组织机构与部门设置', '经营场所和库房的地理位置图、平面图、房屋产权文件或者租赁协议', '经营质量管理制度、工作程序等文件目录'],
  }),
  LICENSING('XK-TZ-001', '2024-01-01', {
    name: '特种设备使用登记',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '特种设备安全监察处',
    legalBasis: `${EQUIPMENT_LAW}第三十三条；《特种设备使用管理规则》（TSG 08）`,
    timeLimit: '自受理之日起15个工作日',
    category: '特种设备',
    materials: ['特种设备使用登记表', '使用单位统一社会信用代码证明', '特种设备产品合格证', '监督检验证明（按规定需要监督检验的）', '定期检验报告（按规定需要定期检验的）'],
  }),
  LICENSING('XK-TZ-002', '2024-01-01', {
    name: '特种设备安全管理和作业人员资格认定',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '特种设备安全监察处',
    legalBasis: `${EQUIPMENT_LAW}第十四条；《特种设备作业人员监督管理办法》`,
    timeLimit: '考试结束后20个工作日内公布成绩；合格的，自受理发证申请之日起20个工作日内发证',
    category: '特种设备',
    materials: ['特种设备作业人员资格申请表', '身份证明', '考试合格证明（考试机构出具）', '近期一寸正面免冠照片'],
    extra: '证书有效期：4年。',
  }),
  LICENSING('XK-CP-001', '2024-06-01', {
    name: '重要工业产品生产许可证核发',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '产品质量安全监督管理处',
    legalBasis: '《中华人民共和国工业产品生产许可证管理条例》第二条、第九条；《工业产品生产许可证管理条例实施办法》',
    timeLimit: '自受理之日起20个工作日（含告知承诺审批）',
    category: '产品质量',
    materials: ['工业产品生产许可证申请书', '营业执照', '产品检验合格报告（按实施细则要求）', '生产条件和质量管理制度自查报告'],
    extra: '本事项部分产品由省局实施、市局承接，演示数据仅供参考。',
  }),
  LICENSING('XK-JL-001', '2025-01-01', {
    name: '计量标准器具核准',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '计量处',
    legalBasis: '《中华人民共和国计量法》第六条、第八条；《计量标准考核办法》',
    timeLimit: '自受理之日起20个工作日（不含考评时间）',
    category: '计量',
    materials: ['计量标准考核（复查）申请书', '计量标准技术报告', '计量标准器及主要配套设备有效的检定或者校准证书', '检定或者校准人员能力证明'],
  }),

  // ---- 行政处罚 (17) ----
  PENALTY('CF-SP-001', '2024-01-01', {
    name: '对未取得食品经营许可从事食品经营活动的行政处罚',
    agencyId: DEMO_CITY_ID,
    legalBasis: `${FOOD_LAW}第一百二十二条第一款`,
    category: '食品安全',
    guide: '没收违法所得和违法生产经营的食品以及用于违法生产经营的工具、设备、原料等物品；货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款。',
  }),
  PENALTY('CF-SP-002', '2024-01-01', {
    name: '对经营超过保质期的食品、食品添加剂的行政处罚',
    agencyId: DEMO_CITY_ID,
    legalBasis: `${FOOD_LAW}第一百二十四条第一款第（五）项`,
    category: '食品安全',
    guide: '没收违法所得和违法生产经营的食品、食品添加剂；货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款；情节严重的，吊销许可证。',
  }),
  PENALTY('CF-SP-003', '2024-01-01', {
    name: '对食品经营者未按规定建立并遵守进货查验记录制度的行政处罚',
    agencyId: DEMO_SHUYANG_ID,
    handlingDivision: '县局各分局',
    legalBasis: `${FOOD_LAW}第一百二十六条第一款第（三）项`,
    category: '食品安全',
    guide: '责令改正，给予警告；拒不改正的，处五千元以上五万元以下罚款；情节严重的，责令停产停业，直至吊销许可证。',
  }),
  PENALTY('CF-SP-004', '2024-01-01', {
    name: '对餐具、饮具和盛放直接入口食品的容器使用前未经洗净、消毒的行政处罚',
    agencyId: DEMO_SIYANG_ID,
    handlingDivision: '县局各分局',
    legalBasis: `${FOOD_LAW}第一百二十六条第一款第（五）项`,
    category: '食品安全',
    guide: '责令改正，给予警告；拒不改正的，处五千元以上五万元以下罚款；情节严重的，责令停产停业，直至吊销许可证。',
  }),
  PENALTY('CF-SP-005', '2024-06-01', {
    name: '对安排未取得健康证明的人员从事接触直接入口食品工作的行政处罚',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '各分局',
    legalBasis: `${FOOD_LAW}第一百二十六条第一款第（六）项`,
    category: '食品安全',
    guide: '责令改正，给予警告；拒不改正的，处五千元以上五万元以下罚款。',
  }),
  PENALTY('CF-YP-001', '2024-03-01', {
    name: '对未取得药品经营许可证销售药品的行政处罚',
    agencyId: DEMO_CITY_ID,
    legalBasis: `${DRUG_LAW}第一百一十五条`,
    category: '药品医疗器械',
    guide: '责令关闭，没收违法销售的药品和违法所得，并处违法销售的药品货值金额十五倍以上三十倍以下的罚款；货值金额不足十万元的，按十万元计算。',
  }),
  PENALTY('CF-YP-002', '2024-03-01', {
    name: '对销售假药的行政处罚',
    agencyId: DEMO_CITY_ID,
    legalBasis: `${DRUG_LAW}第九十八条、第一百一十六条`,
    category: '药品医疗器械',
    guide: '没收违法销售的药品和违法所得，责令停产停业整顿，吊销药品经营许可证，并处违法销售的药品货值金额十五倍以上三十倍以下的罚款；涉嫌犯罪的，依法移送公安机关。',
  }),
  PENALTY('CF-YL-001', '2024-03-01', {
    name: '对经营未取得医疗器械注册证的第二类、第三类医疗器械的行政处罚',
    agencyId: DEMO_CITY_ID,
    legalBasis: '《医疗器械监督管理条例》第八十一条第一款第（一）项',
    category: '药品医疗器械',
    guide: '没收违法所得、违法生产经营的医疗器械和用于违法生产经营的工具、设备、原材料等物品，并依照货值金额处以罚款。',
  }),
  PENALTY('CF-TZ-001', '2024-01-01', {
    name: '对特种设备使用单位使用未取得许可生产、未经检验或者检验不合格的特种设备的行政处罚',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '特种设备安全监察处',
    legalBasis: `${EQUIPMENT_LAW}第八十四条第（一）项`,
    category: '特种设备',
    guide: '责令停止使用有关特种设备，处三万元以上三十万元以下罚款。',
  }),
  PENALTY('CF-TZ-002', '2024-01-01', {
    name: '对特种设备使用单位未按照规定办理使用登记的行政处罚',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '特种设备安全监察处',
    legalBasis: `${EQUIPMENT_LAW}第八十三条第一款第（一）项`,
    category: '特种设备',
    guide: '责令限期改正；逾期未改正的，责令停止使用有关特种设备，处一万元以上十万元以下罚款。',
  }),
  PENALTY('CF-CP-001', '2024-01-01', {
    name: '对生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的行政处罚',
    agencyId: DEMO_CITY_ID,
    legalBasis: `${QUALITY_LAW}第十三条、第四十九条`,
    category: '产品质量',
    guide: '责令停止生产、销售，没收违法生产、销售的产品，并处违法生产、销售产品货值金额等值以上三倍以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照。',
  }),
  PENALTY('CF-CP-002', '2024-01-01', {
    name: '对在产品中掺杂、掺假，以假充真，以次充好，或者以不合格产品冒充合格产品的行政处罚',
    agencyId: DEMO_CITY_ID,
    legalBasis: `${QUALITY_LAW}第三十二条、第三十九条、第五十条`,
    category: '产品质量',
    guide: '责令停止生产、销售，没收违法生产、销售的产品，并处违法生产、销售产品货值金额百分之五十以上三倍以下的罚款；有违法所得的，并处没收违法所得。',
  }),
  PENALTY('CF-JG-001', '2024-01-01', {
    name: '对经营者不明码标价或者不按照规定的内容和方式明码标价的行政处罚',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '价格监督检查和反不正当竞争处',
    legalBasis: '《中华人民共和国价格法》第十三条、第四十二条；《价格违法行为行政处罚规定》第十三条；《明码标价和禁止价格欺诈规定》',
    category: '价格监督检查',
    guide: '责令改正，没收违法所得，可以并处五千元以下的罚款。',
  }),
  PENALTY('CF-GG-001', '2024-01-01', {
    name: '对发布虚假广告的行政处罚',
    agencyId: DEMO_CITY_ID,
    legalBasis: '《中华人民共和国广告法》第二十八条、第五十五条第一款',
    category: '广告监管',
    guide: '责令停止发布广告，责令广告主在相应范围内消除影响，处广告费用三倍以上五倍以下的罚款；广告费用无法计算或者明显偏低的，处二十万元以上一百万元以下的罚款。',
  }),
  PENALTY('CF-WJ-001', '2025-01-01', {
    name: '对电子商务经营者未在首页显著位置公示营业执照信息、行政许可信息的行政处罚',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '网络交易监督管理处',
    legalBasis: '《中华人民共和国电子商务法》第十五条、第七十六条第一款第（一）项',
    category: '网络交易监管',
    guide: '责令限期改正，可以处一万元以下的罚款。',
  }),
  PENALTY('CF-ZC-001', '2024-01-01', {
    name: '对侵犯注册商标专用权行为的行政处罚',
    agencyId: DEMO_CITY_ID,
    legalBasis: '《中华人民共和国商标法》第五十七条、第六十条第二款',
    category: '知识产权',
    guide: '责令立即停止侵权行为，没收、销毁侵权商品和主要用于制造侵权商品、伪造注册商标标识的工具；违法经营额五万元以上的，可以处违法经营额五倍以下的罚款。',
  }),
  PENALTY('CF-DJ-001', '2025-02-01', {
    name: '对未经设立登记从事经营活动的行政处罚',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '各分局',
    legalBasis: '《中华人民共和国市场主体登记管理条例》第三条、第四十三条；《无证无照经营查处办法》',
    category: '综合执法',
    guide: '责令改正，没收违法所得；拒不改正的，处一万元以上十万元以下的罚款；情节严重的，依法责令关闭停业，并处十万元以上五十万元以下的罚款。',
  }),

  // ---- 行政强制 (6) ----
  COERCION('QZ-001', '2024-01-01', {
    name: '查封、扣押涉嫌传销的有关合同、票据、账簿等资料',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '执法稽查局',
    legalBasis: '《禁止传销条例》第十四条第一款第（五）项；《中华人民共和国行政强制法》第九条、第二十二条至第二十八条；《市场监督管理行政处罚程序规定》',
    category: '综合执法',
    guide: '适用于查处涉嫌传销行为过程中，对有关合同、票据、账簿等资料依法采取查封、扣押措施。',
  }),
  COERCION('QZ-002', '2024-01-01', {
    name: '查封、扣押不符合食品安全标准或者存在安全隐患的食品、食品添加剂、食品相关产品',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '执法稽查局、各分局',
    legalBasis: `${FOOD_LAW}第一百一十条第（四）项；《中华人民共和国行政强制法》第九条`,
    category: '食品安全',
    guide: '对有证据证明不符合食品安全标准或者有证据证明存在安全隐患以及用于违法生产经营的食品、食品添加剂、食品相关产品依法查封、扣押。',
  }),
  COERCION('QZ-003', '2024-01-01', {
    name: '查封违法从事食品生产经营活动的场所',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '执法稽查局、各分局',
    legalBasis: `${FOOD_LAW}第一百一十条第（五）项；《中华人民共和国行政强制法》第九条`,
    category: '食品安全',
    guide: '对违法从事食品生产经营活动的场所依法查封，并张贴封条、制作现场笔录。',
  }),
  COERCION('QZ-004', '2024-01-01', {
    name: '查封、扣押不符合安全技术规范要求或者存在严重事故隐患的特种设备',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '特种设备安全监察处',
    legalBasis: `${EQUIPMENT_LAW}第六十一条第一款第（三）项`,
    category: '特种设备',
    guide: '对有证据表明不符合安全技术规范要求或者存在严重事故隐患的特种设备实施查封、扣押。',
  }),
  COERCION('QZ-005', '2024-01-01', {
    name: '查封、扣押不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '产品质量安全监督管理处、执法稽查局',
    legalBasis: `${QUALITY_LAW}第十八条第一款第（四）项`,
    category: '产品质量',
    guide: '对有根据认为不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品或者有其他严重质量问题的产品，以及直接用于生产、销售该项产品的原辅材料、包装物、生产工具，予以查封或者扣押。',
  }),
  COERCION('QZ-006', '2024-03-01', {
    name: '查封、扣押有证据证明可能危害人体健康的药品及其有关材料',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '药品医疗器械监督管理处',
    legalBasis: `${DRUG_LAW}第一百条第二款`,
    timeLimit: '查封、扣押后七日内作出行政处理决定；药品需要检验的，自检验报告书发出之日起十五日内作出行政处理决定',
    category: '药品医疗器械',
    guide: '对有证据证明可能危害人体健康的药品及其有关材料依法查封、扣押。',
  }),

  // ---- 行政检查 (6) ----
  INSPECTION('JC-001', '2024-01-01', {
    name: '对食品生产经营者的监督检查',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '食品生产安全监督管理处、食品经营安全监督管理处、各分局',
    legalBasis: `${FOOD_LAW}第一百零九条、第一百一十条；《食品生产经营监督检查管理办法》`,
    timeLimit: '按年度监督检查计划实施；现场检查结束时当场告知检查结果',
    category: '食品安全',
    guide: '检查内容包括生产经营资质、环境条件、进货查验、生产经营过程控制、贮存运输、从业人员管理、食品安全自查等。',
  }),
  INSPECTION('JC-002', '2024-01-01', {
    name: '对特种设备生产、经营、使用单位的监督检查',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '特种设备安全监察处',
    legalBasis: `${EQUIPMENT_LAW}第五十七条、第六十一条；《特种设备安全监督检查办法》`,
    timeLimit: '按年度监督检查计划实施；发现严重事故隐患的，立即下达特种设备安全监察指令',
    category: '特种设备',
    guide: '检查特种设备使用登记、定期检验、安全管理人员和作业人员持证、安全技术档案、维护保养和应急预案等情况。',
  }),
  INSPECTION('JC-003', '2024-01-01', {
    name: '产品质量监督抽查',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '产品质量安全监督管理处',
    legalBasis: `${QUALITY_LAW}第十五条；《产品质量监督抽查管理暂行办法》`,
    timeLimit: '检验机构自收到样品之日起20日内出具检验报告；不合格结果自收到之日起5个工作日内通知被抽样生产者',
    category: '产品质量',
    guide: '按年度抽查计划随机抽取样品，委托具备资质的检验机构检验；被抽样生产者对检验结果有异议的，可以自收到结果之日起15日内申请复检。',
  }),
  INSPECTION('JC-004', '2024-01-01', {
    name: '对计量器具及计量活动的监督检查',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '计量处',
    legalBasis: '《中华人民共和国计量法》第九条、第十八条；《中华人民共和国计量法实施细则》',
    timeLimit: '按年度监督检查计划实施',
    category: '计量',
    guide: '重点检查集贸市场、加油站、眼镜制配场所、医疗机构等使用的强制检定计量器具的登记和检定情况，以及定量包装商品净含量。',
  }),
  INSPECTION('JC-005', '2024-01-01', {
    name: '对企业公示信息的检查',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '信用监督管理处',
    legalBasis: '《企业信息公示暂行条例》；《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）',
    timeLimit: '自抽查任务下达之日起按计划完成；检查结果自形成之日起20个工作日内公示',
    category: '综合执法',
    guide: '通过书面检查、实地核查、网络监测等方式，核查企业年度报告及即时公示信息的真实性。',
  }),
  INSPECTION('JC-006', '2024-03-01', {
    name: '对药品经营企业和使用单位的监督检查',
    agencyId: DEMO_CITY_ID,
    handlingDivision: '药品医疗器械监督管理处',
    legalBasis: `${DRUG_LAW}第九十九条；《药品经营和使用质量监督管理办法》`,
    timeLimit: '按年度监督检查计划实施；对高风险企业适当提高检查频次',
    category: '药品医疗器械',
    guide: '检查药品经营质量管理规范执行情况、执业药师在岗、处方药销售、进货渠道和储存养护等。',
  }),

  // ---- 其他行政权力 (4) ----
  {
    code: 'QT-001',
    effectiveFrom: '2024-01-01',
    content: {
      name: '行政奖励：对举报市场监管领域重大违法行为的举报人给予奖励',
      type: 'OTHER',
      agencyId: DEMO_CITY_ID,
      handlingDivision: '投诉举报处理中心',
      legalBasis: `${FOOD_LAW}第一百一十五条；《市场监管领域重大违法行为举报奖励暂行办法》`,
      timeLimit: '案件办结后，自举报人提出奖励申请之日起按规定时限内作出奖励决定',
      flowchart: '举报查处结案→告知举报人可申请奖励→举报人申请→审核认定奖励等级→作出奖励决定→发放奖金',
      serviceGuide: applicationGuide(DEMO_CITY_ID, ['举报奖励申请表', '举报人有效身份证明', '银行账户信息'], '举报人的个人信息依法予以保密。'),
      remedies: remedies(DEMO_CITY_ID),
      category: '综合执法',
    },
  },
  {
    code: 'QT-002',
    effectiveFrom: '2024-01-01',
    content: {
      name: '仅销售预包装食品经营者备案',
      type: 'OTHER',
      agencyId: DEMO_CITY_ID,
      handlingDivision: '行政审批处',
      legalBasis: `${FOOD_LAW}第三十五条第一款；《食品经营许可和备案管理办法》`,
      timeLimit: '材料齐全的，当场备案',
      flowchart: '提交备案信息→当场备案并赋予备案编号→信息公开',
      serviceGuide: applicationGuide(DEMO_CITY_ID, ['仅销售预包装食品备案信息采集表', '营业执照或者其他主体资格证明文件']),
      remedies: remedies(DEMO_CITY_ID),
      category: '食品安全',
    },
  },
  {
    code: 'QT-003',
    effectiveFrom: '2025-01-01',
    content: {
      name: '计量纠纷的调解和仲裁检定',
      type: 'OTHER',
      agencyId: DEMO_CITY_ID,
      handlingDivision: '计量处',
      legalBasis: '《中华人民共和国计量法》第二十一条；《仲裁检定和计量调解办法》',
      timeLimit: '自受理之日起按规定期限组织调解或者安排仲裁检定',
      flowchart: '申请→受理→通知对方当事人→调解或仲裁检定→出具调解书或仲裁检定证书',
      serviceGuide: applicationGuide(DEMO_CITY_ID, ['计量纠纷调解（仲裁检定）申请书', '纠纷涉及的计量器具及相关证明材料', '申请人身份证明']),
      remedies: '对仲裁检定结果不服的，可以向上一级市场监督管理部门申请二次仲裁检定；亦可依法向人民法院提起诉讼。',
      category: '计量',
    },
  },
  {
    code: 'QT-004',
    effectiveFrom: '2024-01-01',
    content: {
      name: '消费者投诉的受理和调解',
      type: 'OTHER',
      agencyId: DEMO_SIYANG_ID,
      handlingDivision: '消费者权益保护科、县局各分局',
      legalBasis: '《中华人民共和国消费者权益保护法》第三十九条、第四十六条；《市场监督管理投诉举报处理暂行办法》',
      timeLimit: '自收到投诉之日起七个工作日内作出受理或者不予受理的决定；自受理之日起四十五个工作日内未达成调解协议的，终止调解',
      flowchart: '投诉登记→七个工作日内决定是否受理→组织调解→达成调解协议或终止调解→告知投诉人',
      serviceGuide: [
        '投诉渠道：全国12315平台、12315热线、来信来访。',
        '投诉材料：投诉人姓名、电话、地址；被投诉人名称、地址；具体的投诉请求及消费者权益争议事实。',
        `咨询电话：${PHONE[DEMO_SIYANG_ID]}，12315。`,
      ].join('\n'),
      remedies: '调解不成的，消费者可以依法申请仲裁或者向人民法院提起诉讼。',
      category: '消费者权益保护',
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Random-inspection item list (D3, 双随机抽查事项清单)
// ---------------------------------------------------------------------------------------------

const RANDOM = '双随机、一公开';

export const demoInspectionItems: DemoInspectionItem[] = [
  {
    code: 'SJ-001',
    effectiveFrom: '2024-01-01',
    content: {
      name: '食品生产企业监督抽查',
      agencyId: DEMO_CITY_ID,
      basis: `${FOOD_LAW}第一百零九条、第一百一十条；《食品生产经营监督检查管理办法》`,
      object: '辖区内取得食品生产许可证的食品生产企业',
      content: '生产者资质、生产环境条件、进货查验、生产过程控制、产品检验、贮存及交付控制、不合格品管理和食品召回、标签和说明书、食品安全自查、从业人员管理',
      ratio: '不低于5%',
      method: `${RANDOM}；现场检查`,
      frequency: '每年一次',
    },
  },
  {
    code: 'SJ-002',
    effectiveFrom: '2024-01-01',
    content: {
      name: '企业公示信息抽查',
      agencyId: DEMO_CITY_ID,
      basis: '《企业信息公示暂行条例》；《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）',
      object: '辖区内登记的企业、农民专业合作社',
      content: '年度报告公示信息、即时公示信息的真实性，登记事项与实际情况是否一致',
      ratio: '不低于3%',
      method: `${RANDOM}；书面检查、实地核查、网络监测`,
      frequency: '每年一次',
    },
  },
  {
    code: 'SJ-003',
    effectiveFrom: '2024-01-01',
    content: {
      name: '特种设备使用单位监督检查',
      agencyId: DEMO_CITY_ID,
      basis: `${EQUIPMENT_LAW}第五十七条、第六十一条；《特种设备安全监督检查办法》`,
      object: '辖区内电梯、锅炉、压力容器、起重机械、场（厂）内专用机动车辆等特种设备使用单位',
      content: '使用登记、定期检验、安全管理人员和作业人员持证、安全技术档案、维护保养、隐患排查和应急预案',
      ratio: '不低于5%',
      method: `${RANDOM}；现场检查`,
      frequency: '每年一次',
    },
  },
  {
    code: 'SJ-004',
    effectiveFrom: '2024-01-01',
    content: {
      name: '产品质量监督抽查',
      agencyId: DEMO_CITY_ID,
      basis: `${QUALITY_LAW}第十五条；《产品质量监督抽查管理暂行办法》`,
      object: '辖区内生产、销售列入年度监督抽查计划产品的企业',
      content: '产品质量是否符合国家标准、行业标准及明示的质量要求',
      ratio: '按年度抽查计划确定批次，覆盖重点产品生产企业',
      method: `${RANDOM}；随机抽取样品，委托具备资质的检验机构检验`,
      frequency: '每年一次',
    },
  },
  {
    code: 'SJ-005',
    effectiveFrom: '2024-01-01',
    content: {
      name: '计量器具监督检查',
      agencyId: DEMO_CITY_ID,
      basis: '《中华人民共和国计量法》第九条、第十八条；《中华人民共和国计量法实施细则》',
      object: '集贸市场、加油站、眼镜制配场所、医疗机构等使用强制检定计量器具的单位',
      content: '强制检定计量器具登记备案和按期检定情况，计量器具使用是否规范',
      ratio: '不低于3%',
      method: `${RANDOM}；现场检查`,
      frequency: '每年一次',
    },
  },
  {
    code: 'SJ-006',
    effectiveFrom: '2024-01-01',
    content: {
      name: '广告发布监督检查',
      agencyId: DEMO_CITY_ID,
      basis: '《中华人民共和国广告法》第四十九条',
      object: '广告主、广告经营者、广告发布者',
      content: '广告内容是否真实合法；医疗、药品、医疗器械、保健食品等广告是否经审查；广告业务承接登记、审核、档案管理制度',
      ratio: '不低于3%',
      method: `${RANDOM}；网络监测、书面检查`,
      frequency: '每年一次',
    },
  },
  {
    code: 'SJ-007',
    effectiveFrom: '2024-01-01',
    content: {
      name: '食品经营者（餐饮服务）监督检查',
      agencyId: DEMO_SHUYANG_ID,
      basis: `${FOOD_LAW}第一百一十条；《食品生产经营监督检查管理办法》`,
      object: '沭阳县辖区内取得食品经营许可的餐饮服务提供者',
      content: '经营资质、从业人员健康管理、原料控制、加工制作过程、餐饮具清洗消毒、食品添加剂使用、场所环境卫生',
      ratio: '不低于3%',
      method: `${RANDOM}；现场检查`,
      frequency: '每年一次',
    },
  },
  {
    code: 'SJ-008',
    effectiveFrom: '2024-03-01',
    content: {
      name: '药品零售企业监督检查',
      agencyId: DEMO_CITY_ID,
      basis: `${DRUG_LAW}第九十九条；《药品经营和使用质量监督管理办法》`,
      object: '辖区内取得药品经营许可证的药品零售企业',
      content: '药品经营质量管理规范执行情况、执业药师在岗履职、处方药销售管理、购进渠道和储存养护',
      ratio: '不低于5%',
      method: `${RANDOM}；现场检查`,
      frequency: '每年一次',
    },
  },
  {
    code: 'SJ-009',
    effectiveFrom: '2025-01-01',
    content: {
      name: '网络交易经营者监督检查',
      agencyId: DEMO_CITY_ID,
      basis: '《中华人民共和国电子商务法》；《网络交易监督管理办法》',
      object: '住所在辖区内的网络交易平台经营者、平台内经营者和自建网站经营者',
      content: '营业执照及行政许可信息公示、商品或者服务信息真实性、消费者评价、七日无理由退货等义务履行情况',
      ratio: '不低于3%',
      method: `${RANDOM}；网络监测`,
      frequency: '每年一次',
    },
  },
  {
    code: 'SJ-010',
    effectiveFrom: '2025-01-01',
    content: {
      name: '经营者价格行为（明码标价）检查',
      agencyId: DEMO_SIYANG_ID,
      basis: '《中华人民共和国价格法》第十三条、第三十四条；《明码标价和禁止价格欺诈规定》',
      object: '泗阳县辖区内商品零售、餐饮、停车、旅游等经营者',
      content: '明码标价执行情况，是否存在价格欺诈等价格违法行为',
      ratio: '不低于3%',
      method: `${RANDOM}；现场检查、网络监测`,
      frequency: '每年一次',
    },
  },
];
