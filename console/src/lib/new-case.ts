/**
 * 立案 (issue 16, point 2), the logic without the page: the draft, the party's live checks, the power
 * list's search, which officers may handle the case, the body of `POST /cases`, and where each API
 * error belongs. The identifier checks (GB 32100 credit code, GB 11643 ID number) and the text rules
 * are the API's own (shared/domain); the API checks everything again and has the last word.
 */
import { isValidCreditCode, isValidIdNumber, PHONE_RE, creditCodeCheckChar } from '../../../shared/domain/identifiers.ts';
import { isCalendarDate } from '../../../shared/domain/dates.ts';
import { multiLineText, singleLineText } from '../../../shared/domain/text.ts';
import { POWER_TYPES, type PowerType } from '../../../shared/domain/power-types.ts';
import type { ApiError } from './errors.ts';

export const PARTY_KINDS = ['ORG', 'INDIVIDUAL_BUSINESS', 'PERSON'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export interface NewCaseDraft {
  partyKind: string;
  name: string;
  creditCode: string;
  idNumber: string;
  legalRepresentative: string;
  address: string;
  phone: string;
  enforcementType: string;
  powerCode: string;
  handlingOfficerIds: string[];
  filingDate: string;
  summary: string;
  /** One per draft: a retry after a lost answer replays the first answer instead of opening a second case. */
  idempotencyKey: string;
}

export const emptyDraft = (today: string, officerId: string | undefined, key: string): NewCaseDraft => ({
  partyKind: 'ORG',
  name: '',
  creditCode: '',
  idNumber: '',
  legalRepresentative: '',
  address: '',
  phone: '',
  enforcementType: 'PENALTY',
  powerCode: '',
  handlingOfficerIds: officerId ? [officerId] : [],
  filingDate: today,
  summary: '',
  idempotencyKey: key,
});

/** The party's fields and the case's own, as the form names them (API paths map onto these). */
export const PARTY_FIELDS = ['name', 'creditCode', 'idNumber', 'legalRepresentative', 'address', 'phone'] as const;
export type PartyField = (typeof PARTY_FIELDS)[number];
export const CASE_FIELDS = ['enforcementType', 'powerCode', 'handlingOfficerIds', 'filingDate', 'summary', 'agencyId'] as const;
export type FormField = PartyField | 'partyKind' | (typeof CASE_FIELDS)[number];

export const hasCreditCode = (kind: string): boolean => kind === 'ORG' || kind === 'INDIVIDUAL_BUSINESS';

/** Which party fields a kind of party has (a person has an ID number, a unit a credit code and a representative). */
export const partyFieldsOf = (kind: string): readonly PartyField[] =>
  hasCreditCode(kind) ? ['name', 'creditCode', 'legalRepresentative', 'address', 'phone'] : ['name', 'idNumber', 'address', 'phone'];

const PARTY_FIELD_LABELS: Record<PartyKind, Record<PartyField, string>> = {
  ORG: { name: '单位名称', creditCode: '统一社会信用代码', idNumber: '身份证号码', legalRepresentative: '法定代表人或负责人（可选）', address: '住所（可选）', phone: '联系电话（可选）' },
  INDIVIDUAL_BUSINESS: { name: '名称（字号）', creditCode: '统一社会信用代码', idNumber: '身份证号码', legalRepresentative: '经营者（可选）', address: '经营场所（可选）', phone: '联系电话（可选）' },
  PERSON: { name: '姓名', creditCode: '统一社会信用代码', idNumber: '身份证号码', legalRepresentative: '法定代表人', address: '住址（可选）', phone: '联系电话（可选）' },
};

export const partyFieldLabel = (kind: string, f: PartyField): string => PARTY_FIELD_LABELS[(PARTY_KINDS as readonly string[]).includes(kind) ? (kind as PartyKind) : 'ORG'][f];

/** As the API stores them: trimmed, upper-case (its schema does the same before checking). */
export const normaliseCode = (value: string): string => value.trim().toUpperCase();

/** Why a unified social credit code is not valid (GB 32100), more precisely than "invalid" where we can. */
export function creditCodeProblem(raw: string): string | undefined {
  const v = normaliseCode(raw);
  if (v === '') return undefined;
  if (isValidCreditCode(v)) return undefined;
  if (v.length !== 18) return `统一社会信用代码应为 18 位，现为 ${v.length} 位`;
  // The check character's own function says whether the first 17 are of the code's alphabet.
  if (creditCodeCheckChar(v.slice(0, 17)) === '' || !isValidCreditCode(v.slice(0, 17) + creditCodeCheckChar(v.slice(0, 17)))) {
    return '统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V），或第 3–8 位不是数字';
  }
  return '统一社会信用代码无效（GB 32100 校验位不符），请逐位核对';
}

/** Why an 18-digit resident ID number is not valid (GB 11643). */
export function idNumberProblem(raw: string): string | undefined {
  const v = normaliseCode(raw);
  if (v === '') return undefined;
  if (isValidIdNumber(v)) return undefined;
  if (v.length !== 18) return `身份证号码应为 18 位，现为 ${v.length} 位`;
  if (!/^\d{17}[\dX]$/.test(v)) return '身份证号码前 17 位应为数字，末位为数字或 X';
  if (!isCalendarDate(`${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`)) return '身份证号码中的出生日期（第 7–14 位）不是有效日期';
  return '身份证号码无效（GB 11643 校验位不符），请逐位核对';
}

// The party's text fields and the summary: the API's own text schemas, with its lengths (case.ts).
const TEXT_RULES = {
  name: singleLineText({ min: 2, max: 100 }),
  legalRepresentative: singleLineText({ min: 2, max: 30 }),
  address: singleLineText({ min: 2, max: 200 }),
  summary: multiLineText({ min: 2, max: 500 }),
} as const;

const textProblem = (field: keyof typeof TEXT_RULES, value: string): string | undefined => {
  const r = TEXT_RULES[field].safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
};

const REQUIRED: Partial<Record<FormField, string>> = {
  name: '请填写当事人名称或姓名',
  creditCode: '单位和个体工商户须填写统一社会信用代码',
  idNumber: '自然人须填写 18 位身份证号码',
  powerCode: '请选择职权事项',
  handlingOfficerIds: '请选择承办人员',
  filingDate: '请填写立案日期',
  summary: '请填写案由',
};

/**
 * What the form can tell before sending, by field: missing required values, identifiers whose check
 * characters do not match, text the API would refuse. Optional fields are checked only when filled.
 */
export function draftProblems(d: NewCaseDraft): Partial<Record<FormField, string>> {
  const out: Partial<Record<FormField, string>> = {};
  const fields = partyFieldsOf(d.partyKind);
  for (const f of fields) {
    const value = d[f];
    if (value.trim() === '') {
      const required = REQUIRED[f];
      if (required) out[f] = required;
      continue;
    }
    const problem =
      f === 'creditCode' ? creditCodeProblem(value) : f === 'idNumber' ? idNumberProblem(value) : f === 'phone' ? (PHONE_RE.test(value.trim()) ? undefined : '电话号码格式无效：手机号 11 位，或带区号的固定电话') : textProblem(f, value);
    if (problem) out[f] = problem;
  }
  if (!d.powerCode) out.powerCode = REQUIRED.powerCode;
  if (d.handlingOfficerIds.length === 0) out.handlingOfficerIds = REQUIRED.handlingOfficerIds;
  if (!d.filingDate) out.filingDate = REQUIRED.filingDate;
  else if (!isCalendarDate(d.filingDate)) out.filingDate = '日期无效，应为真实存在的日期';
  if (d.summary.trim() === '') out.summary = REQUIRED.summary;
  else {
    const p = textProblem('summary', d.summary);
    if (p) out.summary = p;
  }
  return out;
}

/** `POST /cases`'s body: only the party's fields of its kind, optional ones left out when empty. */
export function toBody(d: NewCaseDraft, agencyId: string, officerIds: readonly string[]) {
  const party: Record<string, string> = { kind: d.partyKind, name: d.name.trim() };
  for (const f of partyFieldsOf(d.partyKind)) {
    if (f === 'name') continue;
    const v = f === 'creditCode' || f === 'idNumber' ? normaliseCode(d[f]) : d[f].trim();
    if (v !== '') party[f] = v;
  }
  return {
    agencyId,
    enforcementType: d.enforcementType,
    powerCode: d.powerCode,
    party,
    handlingOfficerIds: [...officerIds],
    filingDate: d.filingDate,
    summary: d.summary.trim(),
  };
}

// ---- the power list

export interface PowerItem {
  readonly code: string;
  readonly versionNo: number;
  readonly effectiveFrom: string;
  readonly effectiveTo?: string;
  readonly content: { readonly name: string; readonly type: string; readonly agencyId: string; readonly category?: string };
}

export const isPowerType = (v: string): v is PowerType => (POWER_TYPES as readonly string[]).includes(v);

/** The items of a type that match the search (code prefix or any part of the name, case-insensitive). */
export function searchPowers(items: readonly PowerItem[], query: string, type: string): PowerItem[] {
  const q = query.trim().toLowerCase();
  return items
    .filter((p) => !type || p.content.type === type)
    .filter((p) => !q || p.code.toLowerCase().includes(q) || p.content.name.toLowerCase().includes(q))
    .sort((a, b) => a.code.localeCompare(b.code));
}

// ---- handling officers

/** A category that covers every power (综合执法 certificates; shared/domain/case.ts COMPREHENSIVE_CATEGORY). */
export const COMPREHENSIVE_CATEGORY = '综合执法';

export interface OfficerLike {
  readonly id: string;
  readonly name: string;
  readonly certificateStatus: string;
  readonly validUntil: string;
  readonly categories: readonly string[];
}

const STATUS_TEXT: Record<string, string> = { SUSPENDED: '已暂扣', REVOKED: '已吊销' };

/**
 * Why an officer may not handle a case filed on `date` under a power of `category` (the API's
 * officerProblem, D5, S2): a certificate not valid that day, or one not covering the category.
 */
export function officerIneligibility(o: OfficerLike, date: string, category: string | undefined): string | undefined {
  if (o.certificateStatus !== 'VALID') return `执法证件${STATUS_TEXT[o.certificateStatus] ?? '无效'}`;
  if (date && o.validUntil < date) return `执法证件已于 ${o.validUntil} 到期`;
  if (category && !o.categories.includes(category) && !o.categories.includes(COMPREHENSIVE_CATEGORY)) return `执法证件不含执法类别「${category}」`;
  return undefined;
}

export function splitOfficers<T extends OfficerLike>(officers: readonly T[], date: string, category: string | undefined): { eligible: T[]; others: { officer: T; reason: string }[] } {
  const eligible: T[] = [];
  const others: { officer: T; reason: string }[] = [];
  for (const o of officers) {
    const reason = officerIneligibility(o, date, category);
    if (reason) others.push({ officer: o, reason });
    else eligible.push(o);
  }
  return { eligible, others };
}

/** Enforcement types handled by investigation: two officers at least (N6; shared/domain/case.ts INVESTIGATION_TYPES). */
export const isInvestigation = (type: string): boolean => type === 'PENALTY' || type === 'COERCION' || type === 'INSPECTION';

// ---- API errors by field

/** Business rules whose answer has no path but clearly concerns one field. */
const CODE_FIELDS: Record<string, FormField> = {
  POWER_NOT_FOUND: 'powerCode',
  POWER_NOT_IN_FORCE: 'powerCode',
  POWER_TYPE_MISMATCH: 'powerCode',
  FILING_DATE_IN_FUTURE: 'filingDate',
  INSUFFICIENT_OFFICERS: 'handlingOfficerIds',
  CERTIFICATE_INVALID: 'handlingOfficerIds',
  DUPLICATE_OFFICERS: 'handlingOfficerIds',
};

const ALL_FIELDS: readonly string[] = [...PARTY_FIELDS, 'partyKind', ...CASE_FIELDS];

/**
 * The form field an API error detail's path names: `body.party.creditCode` is `creditCode`,
 * `body.party.kind` the party kind, `officerIds` and `officer <id>` (the officer rules' paths) and
 * `body.handlingOfficerIds.1` the officer picker.
 */
export function newCaseFieldOf(path: string | undefined): FormField | undefined {
  if (!path) return undefined;
  if (/^officer\s/.test(path)) return 'handlingOfficerIds';
  const parts = path.split('.');
  if (parts[0] === 'body') parts.shift();
  if (parts[0] === 'party') {
    const f = parts[1] === 'kind' ? 'partyKind' : parts[1];
    return f !== undefined && ALL_FIELDS.includes(f) ? (f as FormField) : 'name';
  }
  if (parts[0] === 'officerIds') return 'handlingOfficerIds';
  return parts[0] !== undefined && ALL_FIELDS.includes(parts[0]) ? (parts[0] as FormField) : undefined;
}

/** Messages by field; what has no field (or a rule without a path) stays general unless its code names one. */
export function newCaseErrors(error: ApiError): { byField: Partial<Record<FormField, string[]>>; general: string[] } {
  const byField: Partial<Record<FormField, string[]>> = {};
  const general: string[] = [];
  for (const d of error.details) {
    const f = newCaseFieldOf(d.path);
    if (f) (byField[f] ??= []).push(d.message);
    else general.push(d.message);
  }
  const codeField = CODE_FIELDS[error.code];
  if (codeField && !byField[codeField]) byField[codeField] = [error.message];
  return { byField, general };
}
