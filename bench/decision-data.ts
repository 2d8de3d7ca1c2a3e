/**
 * Synthetic public decisions for the decision-search bench: deterministic, so record `i` is the same
 * in every run and the first 10,000 of a 100,000 set are exactly the 10,000 set. Shaped like what
 * `shared/services/publication.ts` publishes: redacted party names (张某某, 沭阳县王某某百货店),
 * credit codes for organisations and individual businesses only, decision numbers per agency,
 * decision dates spread evenly over three years.
 *
 * Nothing here is real: names are masked or invented, credit codes are fictional (valid check
 * character, made-up organisation codes), agencies are the Suqian bureaus with invented ids.
 */
import type { PublicDecision } from '../shared/domain/disclosure.ts';
import { PUBLICITY_NOTICE } from '../shared/domain/disclosure.ts';
import { creditCodeCheckChar } from '../shared/domain/identifiers.ts';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: small, fast, good enough for test data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator seeded from a label and a number, independent of any other (label, n). */
export function rngFor(label: string, n: number): () => number {
  let h = 2166136261;
  for (const ch of `${label}:${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return mulberry32(h);
}

export type Rng = () => number;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  const last = items[items.length - 1];
  if (!last) throw new Error('weighted pick from an empty list');
  return last[0];
}

/** A v4-shaped UUID from the generator (the detail route checks the format). */
function uuidFrom(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rng() * 4)] ?? '8';
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

export interface BenchAgency {
  readonly id: string;
  readonly name: string;
  /** Prefix of its decision numbers. */
  readonly abbr: string;
  readonly area: string;
  /** Relative share of the decisions. */
  readonly weight: number;
}

export const AGENCIES: readonly BenchAgency[] = [
  { id: 'sq-city', name: '宿迁市市场监督管理局', abbr: '宿市监', area: '321300', weight: 8 },
  { id: 'sq-shuyang', name: '沭阳县市场监督管理局', abbr: '沭市监', area: '321322', weight: 22 },
  { id: 'sq-siyang', name: '泗阳县市场监督管理局', abbr: '泗阳市监', area: '321323', weight: 14 },
  { id: 'sq-sihong', name: '泗洪县市场监督管理局', abbr: '泗洪市监', area: '321324', weight: 16 },
  { id: 'sq-sucheng', name: '宿迁市宿城区市场监督管理局', abbr: '宿城市监', area: '321302', weight: 14 },
  { id: 'sq-suyu', name: '宿迁市宿豫区市场监督管理局', abbr: '宿豫市监', area: '321311', weight: 11 },
  { id: 'sq-devzone', name: '宿迁经济技术开发区市场监督管理局', abbr: '宿开市监', area: '321371', weight: 6 },
  { id: 'sq-hubin', name: '宿迁市湖滨新区市场监督管理局', abbr: '湖滨市监', area: '321372', weight: 4 },
  { id: 'sq-yanghe', name: '宿迁市洋河新区市场监督管理局', abbr: '洋河市监', area: '321373', weight: 3 },
  { id: 'sq-sip', name: '苏州宿迁工业园区市场监督管理局', abbr: '苏宿园市监', area: '321374', weight: 2 },
];

const KINDS = ['PENALTY', 'COERCION', 'INSPECTION', 'LICENSING', 'OTHER'] as const;
type Kind = (typeof KINDS)[number];
const KIND_WEIGHTS: readonly (readonly [Kind, number])[] = [
  ['PENALTY', 60],
  ['INSPECTION', 15],
  ['COERCION', 14],
  ['LICENSING', 8],
  ['OTHER', 3],
];
export const ALL_KINDS: readonly Kind[] = KINDS;
const KIND_WORD: Record<Kind, string> = { PENALTY: '处罚', COERCION: '强制', INSPECTION: '检查', LICENSING: '许可', OTHER: '决' };
/** Share of penalties that are a warning only (public, but not in the penalty register, N1). */
const WARNING_ONLY_SHARE = 0.12;

/** Roughly by frequency: the first ones are far more common. */
export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
];
const SURNAME_WEIGHTS = SURNAMES.map((s, i) => [s, 1 / (i + 3)] as const);
const COMPOUND_SURNAMES = ['欧阳', '上官', '司马', '诸葛'];

const TRADE_CHARS = [...'恒达鑫源华盛宏泰永昌兴隆金福瑞祥嘉禾天润海信德康佳美和顺新世纪宇辉博远众诚立凯旺锦绿丰益乐安春晨明阳'];
const INDUSTRIES = ['食品', '餐饮管理', '商贸', '科技', '医药', '建材', '农业发展', '电子', '服装', '酒业', '物流', '家具', '化工', '超市', '汽车服务', '教育咨询'];
const SHOPS = ['百货店', '水果店', '烟酒店', '小吃店', '便利店', '五金店', '农资经营部', '副食品店', '美容店', '饭店', '粮油店', '眼镜店'];
const COUNTIES = ['沭阳县', '泗阳县', '泗洪县', '宿迁市宿城区', '宿迁市宿豫区'];
const ORG_REGIONS: readonly (readonly [string, number])[] = [
  ['宿迁市', 40],
  ['江苏', 25],
  ['沭阳县', 15],
  ['泗阳县', 10],
  ['泗洪县', 10],
];

const VIOLATIONS = [
  '销售不符合食品安全标准的食品',
  '未按规定公示价格',
  '发布虚假广告',
  '生产销售不合格产品',
  '使用未经检定的计量器具',
  '未取得营业执照从事经营活动',
  '使用未经定期检验的特种设备',
  '经营超过有效期的药品',
  '销售侵犯注册商标专用权的商品',
  '虚假宣传',
  '未建立进货查验记录',
  '未按规定年报',
];
const LEGAL_BASES = [
  '《中华人民共和国食品安全法》第一百二十四条第一款',
  '《中华人民共和国价格法》第四十二条',
  '《中华人民共和国广告法》第五十五条第一款',
  '《中华人民共和国产品质量法》第四十九条',
  '《中华人民共和国计量法》第三十四条',
  '《无证无照经营查处办法》第十三条',
  '《中华人民共和国特种设备安全法》第八十四条',
  '《中华人民共和国药品管理法》第一百一十七条',
  '《中华人民共和国商标法》第六十条第二款',
  '《中华人民共和国反不正当竞争法》第二十条',
];

// ---------------------------------------------------------------------------------------------
// Parties

export interface BenchParty {
  readonly kind: 'ORG' | 'PERSON' | 'INDIVIDUAL_BUSINESS';
  readonly name: string;
  readonly creditCode?: string;
}

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function creditCode(rng: Rng, prefix: '91' | '92', area: string): string {
  let org = '';
  for (let i = 0; i < 9; i++) org += CREDIT_CHARS[Math.floor(rng() * CREDIT_CHARS.length)] ?? '0';
  const first17 = `${prefix}${area}${org}`;
  return first17 + creditCodeCheckChar(first17);
}

function maskedPerson(rng: Rng): string {
  const surname = rng() < 0.004 ? pick(rng, COMPOUND_SURNAMES) : weighted(rng, SURNAME_WEIGHTS);
  return surname + (rng() < 0.3 ? '某' : '某某');
}

/**
 * Company number `c`: a registered organisation (2/3) or individual business (1/3), the same for
 * every record that names it (repeat offenders share name and credit code).
 */
export function company(c: number): BenchParty {
  const rng = rngFor('company', c);
  const agency = weighted(rng, AGENCIES.map((a) => [a, a.weight] as const));
  const trade = pick(rng, TRADE_CHARS) + pick(rng, TRADE_CHARS);
  if (rng() < 2 / 3) {
    const region = weighted(rng, ORG_REGIONS);
    const suffix = weighted(rng, [
      ['有限公司', 80],
      ['有限责任公司', 15],
      ['股份有限公司', 5],
    ]);
    return { kind: 'ORG', name: `${region}${trade}${pick(rng, INDUSTRIES)}${suffix}`, creditCode: creditCode(rng, '91', agency.area) };
  }
  // Registered names of individual businesses often carry the operator's name: masked (SURNAME_ONLY).
  const county = pick(rng, COUNTIES);
  const middle = rng() < 0.4 ? maskedPerson(rng) : trade;
  return { kind: 'INDIVIDUAL_BUSINESS', name: `${county}${middle}${pick(rng, SHOPS)}`, creditCode: creditCode(rng, '92', agency.area) };
}

function partyOf(i: number, rng: Rng): BenchParty {
  // 55 % natural persons (masked, no code), 45 % companies: 30 % organisations, 15 % individual
  // businesses, all with a credit code. One company record in five names a repeat offender.
  if (rng() < 0.55) return { kind: 'PERSON', name: maskedPerson(rng) };
  const c = rng() < 0.2 && i > 0 ? Math.floor(rng() * i) : i;
  return company(c);
}

// ---------------------------------------------------------------------------------------------
// Records

/** First and last decision date: three years. */
export const FIRST_DATE = '2023-01-01';
export const LAST_DATE = '2025-12-31';
const DAY_MS = 86_400_000;
const firstMs = Date.parse(`${FIRST_DATE}T00:00:00Z`);
const spanDays = Math.round((Date.parse(`${LAST_DATE}T00:00:00Z`) - firstMs) / DAY_MS) + 1;

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const addDays = (date: string, n: number): string => isoDate(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS);

function yuan(rng: Rng, max: number): string {
  const n = Math.round((rng() * max) / 100) * 100;
  return `${n}.00`;
}

/** Public decision number `i` (0-based); the same every run. */
export function syntheticDecision(i: number): PublicDecision {
  const rng = rngFor('decision', i);
  const id = uuidFrom(rng);
  const agency = weighted(rng, AGENCIES.map((a) => [a, a.weight] as const));
  const kind = weighted(rng, KIND_WEIGHTS);
  const decisionDate = isoDate(firstMs + Math.floor(rng() * spanDays) * DAY_MS);
  const party = partyOf(i, rng);
  const warningOnly = kind === 'PENALTY' && rng() < WARNING_ONLY_SHARE;
  const violation = kind === 'PENALTY' || kind === 'COERCION' ? pick(rng, VIOLATIONS) : undefined;
  const penalties = kind !== 'PENALTY' ? [] : warningOnly ? ['警告'] : rng() < 0.35 ? ['没收违法所得', '罚款'] : ['罚款'];
  const fine = penalties.includes('罚款') ? yuan(rng, 200_000) : '0.00';
  const confiscated = penalties.includes('没收违法所得') ? yuan(rng, 50_000) : '0.00';
  const legalBasis = pick(rng, LEGAL_BASES);
  const publicationDate = addDays(decisionDate, 1 + Math.floor(rng() * 15));
  // N5: the short period for low fines and warnings, three years otherwise (simplified).
  const short = kind !== 'PENALTY' || warningOnly || Number(fine) <= 10_000;
  const disclosureEndsOn = short ? addDays(publicationDate, 182) : addDays(publicationDate, 3 * 365);
  const decisionNo = `${agency.abbr}${KIND_WORD[kind]}〔${decisionDate.slice(0, 4)}〕${i + 1}号`;
  const conclusion =
    kind === 'PENALTY'
      ? `当事人${violation ?? ''}，违反了有关规定，依法予以${penalties.join('、')}。`
      : kind === 'COERCION'
        ? `对当事人涉嫌${violation ?? ''}的有关物品依法实施查封、扣押。`
        : kind === 'INSPECTION'
          ? '抽查检查结果：未发现问题 / 发现问题已责令整改。'
          : kind === 'LICENSING'
            ? '准予行政许可。'
            : '依法作出处理决定。';
  const documentText = [
    `${agency.name}`,
    `${KIND_WORD[kind]}决定书`,
    decisionNo,
    `当事人：${party.name}`,
    party.creditCode ? `统一社会信用代码：${party.creditCode}` : '身份证件号码：（已隐去）',
    '住所：（已隐去）',
    `${decisionDate.slice(0, 4)}年，本局依法对当事人进行检查，发现当事人${violation ?? '存在相关情况'}。`,
    '上述事实有现场检查笔录、询问笔录、进货凭证、照片等证据证实。当事人的行为违反了相关法律法规的规定。',
    `依据${legalBasis}的规定，本局决定如下：${conclusion}`,
    '当事人应当自收到本决定书之日起十五日内缴纳罚款。逾期不缴纳的，每日按罚款数额的百分之三加处罚款。',
    '当事人如不服本决定，可以在收到本决定书之日起六十日内向本级人民政府申请行政复议，也可以在六个月内依法向人民法院提起行政诉讼。',
    `${agency.name}`,
    decisionDate,
  ].join('\n');
  return {
    id,
    decisionNo,
    kind,
    penaltyRegister: kind === 'PENALTY' && !warningOnly,
    party: { kind: party.kind, name: party.name, ...(party.creditCode ? { creditCode: party.creditCode } : {}) },
    ...(violation ? { violationType: violation } : {}),
    conclusion,
    penalties,
    fine,
    confiscatedValue: confiscated,
    legalBasis,
    authority: agency.name,
    agencyId: agency.id,
    decisionDate,
    publicationDate,
    disclosureEndsOn,
    documentText,
    notice: PUBLICITY_NOTICE,
    publicVersion: 1,
    corrections: [],
  };
}

/** Months of the three years, as [first day, last day]. */
export function months(): [string, string][] {
  const out: [string, string][] = [];
  for (let y = Number(FIRST_DATE.slice(0, 4)); y <= Number(LAST_DATE.slice(0, 4)); y++) {
    for (let m = 1; m <= 12; m++) {
      const first = `${y}-${String(m).padStart(2, '0')}-01`;
      const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
      out.push([first, addDays(next, -1)]);
    }
  }
  return out;
}
