/**
 * Redaction before publication (D9, N2): personal data is removed from a served decision
 * (e.g. 行政处罚决定书) before it is published (适当处理后公开), and the removal is recorded so that
 * anyone holding both texts can check that the published text equals the served text except for
 * the listed redactions.
 *
 * Three parts, all pure (no clock, no I/O):
 * - a redaction policy as configuration (zod schema + DEFAULT_REDACTION_POLICY): which structured
 *   party fields are removed per party kind, how natural persons' names are shown, the marks;
 * - redactText: removes known structured values (the party's own ID number, phone, ...) and what
 *   free-text detectors find (ID numbers, mobile numbers, bank cards, e-mail addresses);
 * - the redaction manifest and its verification (N2).
 *
 * Offsets (start, end, length) are UTF-16 code-unit indices into the served text, i.e. JavaScript
 * string indices, so `served.slice(start, end)` is the removed text.
 */
import { createHmac } from 'node:crypto';
import * as z from './z.ts';
import { sha256Hex } from './audit.ts';
import type { PartyKind } from './case.ts';
import { ValidationError, BusinessRuleError } from './errors.ts';
import { isValidCreditCode, isValidIdNumber } from './identifiers.ts';

// ---------------------------------------------------------------- categories and policy

/** What kind of personal data a redaction removed. */
export const REDACTION_CATEGORIES = [
  'ID_NUMBER',
  'PHONE',
  'ADDRESS',
  'BANK_ACCOUNT',
  'HEALTH',
  'EMAIL',
  'PERSON_NAME',
  'THIRD_PARTY_NAME',
] as const;
export type RedactionCategory = (typeof REDACTION_CATEGORIES)[number];

/**
 * A known value may also be PUBLIC: it is published as is (N1: organisations' names and credit
 * codes) and free-text detectors must not take it for personal data.
 */
export type KnownValueCategory = RedactionCategory | 'PUBLIC';

export const REDACTION_DETECTORS = ['known', 'id-number', 'mobile', 'bank-card', 'email'] as const;
export type RedactionDetector = (typeof REDACTION_DETECTORS)[number];

/** How a natural person's name is published. */
export const NAME_HANDLINGS = ['FULL', 'SURNAME_ONLY', 'REMOVE'] as const;
export type NameHandling = (typeof NAME_HANDLINGS)[number];

/** Structured party fields the policy can remove (names are handled by `personName`). */
export const PARTY_FIELDS = ['idNumber', 'phone', 'email', 'address', 'bankAccounts', 'healthData'] as const;
export type PartyField = (typeof PARTY_FIELDS)[number];

const FIELD_CATEGORY: Record<PartyField, RedactionCategory> = {
  idNumber: 'ID_NUMBER',
  phone: 'PHONE',
  email: 'EMAIL',
  address: 'ADDRESS',
  bankAccounts: 'BANK_ACCOUNT',
  healthData: 'HEALTH',
};

/** Two-character surnames kept whole when a name is shortened to its surname (欧阳娜娜 → 欧阳某某). */
export const DEFAULT_COMPOUND_SURNAMES = [
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯',
  '轩辕', '令狐', '端木', '西门', '南宫',
  // Further compound surnames whose first character is rarely a surname on its own, so that
  // reading them as compound does not reveal a given-name character of a single-surname name.
  '澹台', '公冶', '宗政', '濮阳', '淳于', '申屠', '闻人', '万俟', '赫连', '呼延', '独孤', '拓跋',
] as const;

const mark = z.string().trim().min(1).max(40);

const partyRule = z.strictObject({
  /** Structured fields removed from the published record and from the text. */
  remove: z.array(z.enum(PARTY_FIELDS)).meta({ description: '公开时隐去的当事人信息项' }),
  /**
   * The natural person's name: PERSON: the party itself; INDIVIDUAL_BUSINESS: its operator
   * (经营者, `legalRepresentative`); ORG: the legal representative or person in charge.
   */
  personName: z.enum(NAME_HANDLINGS).meta({ description: '自然人姓名的公开方式' }),
});
export type PartyRedactionRule = z.infer<typeof partyRule>;

export const redactionPolicy = z.strictObject({
  /** Recorded in every manifest: which rules produced a published text. */
  version: z.string().trim().min(1).max(40).meta({ description: '隐去规则版本' }),
  parties: z.strictObject({
    PERSON: partyRule,
    INDIVIDUAL_BUSINESS: partyRule,
    ORG: partyRule,
  } satisfies Record<PartyKind, typeof partyRule>),
  /** Third parties' names are always removed (N2); only the way they are shown is configurable. */
  thirdPartyNames: z.enum(['MARK', 'SURNAME_ONLY']).meta({ description: '第三人姓名的隐去方式' }),
  compoundSurnames: z.array(z.string().trim().length(2)).max(200),
  marks: z.strictObject({
    ID_NUMBER: mark,
    PHONE: mark,
    ADDRESS: mark,
    BANK_ACCOUNT: mark,
    HEALTH: mark,
    EMAIL: mark,
    PERSON_NAME: mark,
    THIRD_PARTY_NAME: mark,
  } satisfies Record<RedactionCategory, typeof mark>),
  detectors: z.strictObject({
    idNumber: z.boolean(),
    mobile: z.boolean(),
    bankCard: z.boolean(),
    email: z.boolean(),
  }),
  /**
   * An 18-character run that is a valid unified social credit code and follows the label
   * 统一社会信用代码 / 信用代码 is an organisation's code (published, N1), even when it also
   * passes the ID-number or Luhn check. See `redactText` for the whole rule.
   */
  labelledCreditCodesArePublic: z.boolean(),
});
export type RedactionPolicy = z.infer<typeof redactionPolicy>;

const NATURAL_PERSON_FIELDS: PartyField[] = ['idNumber', 'phone', 'email', 'address', 'bankAccounts', 'healthData'];

export const DEFAULT_REDACTION_POLICY: RedactionPolicy = Object.freeze<RedactionPolicy>({
  version: '2026-1',
  parties: {
    // N2: natural persons' ID number, contact details, home address, bank accounts, health data.
    PERSON: { remove: NATURAL_PERSON_FIELDS, personName: 'SURNAME_ONLY' },
    // The operator of an individual business is a natural person. Its address is removed too:
    // many are registered at the operator's home, and N1 does not require publishing it.
    INDIVIDUAL_BUSINESS: { remove: NATURAL_PERSON_FIELDS, personName: 'SURNAME_ONLY' },
    // N2 lists legal persons' bank accounts. An ID number, health data or bank account on an
    // organisation's record can only be its representative's, so they go too; the registered
    // address (住所), phone and the representative's registered name stay public.
    ORG: { remove: ['idNumber', 'bankAccounts', 'healthData'], personName: 'FULL' },
  },
  thirdPartyNames: 'MARK',
  compoundSurnames: [...DEFAULT_COMPOUND_SURNAMES],
  marks: {
    ID_NUMBER: '[身份证号已隐去]',
    PHONE: '[电话已隐去]',
    ADDRESS: '[住址已隐去]',
    BANK_ACCOUNT: '[银行账号已隐去]',
    HEALTH: '[健康信息已隐去]',
    EMAIL: '[电子邮箱已隐去]',
    PERSON_NAME: '[姓名已隐去]',
    THIRD_PARTY_NAME: '[第三人姓名已隐去]',
  },
  detectors: { idNumber: true, mobile: true, bankCard: true, email: true },
  labelledCreditCodesArePublic: true,
});

// ---------------------------------------------------------------- names

const GIVEN_NAME_MASK = '某';

/**
 * A natural person's name as published.
 * SURNAME_ONLY keeps the surname (both characters of a listed compound surname, when the name has
 * at least 3 characters) and replaces the given name: one character → 某, more → 某某, so
 * 张三 → 张某, 张三丰 → 张某某, 欧阳娜娜 → 欧阳某某, 欧阳娜 → 欧阳某. A 2-character name is
 * never read as a compound surname: 司马 alone is 司 + 马.
 * Names with a middle dot (阿依古丽·买买提) and non-Chinese names follow the same rule by code
 * point: the first one stays and the rest becomes 某某.
 */
export function maskName(name: string, handling: NameHandling, policy: RedactionPolicy = DEFAULT_REDACTION_POLICY): string {
  const trimmed = name.trim();
  if (handling === 'FULL') return trimmed;
  if (handling === 'REMOVE') return policy.marks.PERSON_NAME;
  // Code points, not UTF-16 units: rare characters (CJK extension B) are surrogate pairs.
  const chars = Array.from(trimmed.replace(/\s+/g, ''));
  if (chars.length <= 1) return GIVEN_NAME_MASK;
  const compound = chars.length >= 3 && policy.compoundSurnames.includes(chars.slice(0, 2).join(''));
  const surnameLength = compound ? 2 : 1;
  const givenLength = chars.length - surnameLength;
  return chars.slice(0, surnameLength).join('') + (givenLength === 1 ? GIVEN_NAME_MASK : GIVEN_NAME_MASK.repeat(2));
}

// ---------------------------------------------------------------- structured party data

/**
 * The party fields the policy looks at. `Party` from case.ts fits; the optional extras (e-mail,
 * bank accounts, health data) are for callers that hold them.
 */
export interface RedactableParty {
  readonly kind: PartyKind;
  /** PERSON: the person's name; INDIVIDUAL_BUSINESS: its registered name; ORG: the organisation's name. */
  readonly name: string;
  readonly creditCode?: string | undefined;
  /** INDIVIDUAL_BUSINESS: the operator (经营者); ORG: the legal representative or person in charge. */
  readonly legalRepresentative?: string | undefined;
  readonly idNumber?: string | undefined;
  readonly phone?: string | undefined;
  readonly email?: string | undefined;
  /** PERSON: home address (住址); otherwise the registered address (住所 / 经营场所). */
  readonly address?: string | undefined;
  readonly bankAccounts?: readonly string[] | undefined;
  readonly healthData?: readonly string[] | undefined;
}

/** A value the text may contain, with what to do with it. */
export interface KnownValue {
  readonly value: string;
  readonly category: KnownValueCategory;
  /** The structured field it came from; copied into the finding. */
  readonly field?: string | undefined;
  /** Overrides the policy's mark (used for masked names such as 张某). */
  readonly replacement?: string | undefined;
}

export const knownValue = z.strictObject({
  value: z.string().max(2000),
  category: z.enum([...REDACTION_CATEGORIES, 'PUBLIC'] as const),
  field: z.string().max(60).optional(),
  replacement: z.string().max(100).optional(),
});

function personNameOf(party: RedactableParty): string | undefined {
  return party.kind === 'PERSON' ? party.name : party.legalRepresentative;
}

function fieldValues(party: RedactableParty, field: PartyField): string[] {
  const v = party[field];
  if (v === undefined) return [];
  return (typeof v === 'string' ? [v] : [...v]).filter((s) => s.trim() !== '');
}

/**
 * The known values for one party under the policy: every removed field, the natural person's name
 * unless it is published in full, and the credit code as PUBLIC (the whitelist that keeps an
 * all-digit credit code from being taken for an ID number or a bank card).
 * Fields the policy keeps are not listed at all, so a detector may still remove them from free
 * text (e.g. an organisation's mobile number): over-redaction is the safe side.
 */
export function knownValuesForParty(party: RedactableParty, policy: RedactionPolicy = DEFAULT_REDACTION_POLICY): KnownValue[] {
  const rule = policy.parties[party.kind];
  const out: KnownValue[] = [];
  for (const field of rule.remove) {
    for (const value of fieldValues(party, field)) out.push({ value, category: FIELD_CATEGORY[field], field });
  }
  const personName = personNameOf(party);
  if (personName && personName.trim() !== '' && rule.personName !== 'FULL') {
    out.push({
      value: personName.trim(),
      category: 'PERSON_NAME',
      field: party.kind === 'PERSON' ? 'name' : 'legalRepresentative',
      replacement: maskName(personName, rule.personName, policy),
    });
  }
  if (party.creditCode && party.creditCode.trim() !== '') {
    out.push({ value: party.creditCode.trim().toUpperCase(), category: 'PUBLIC', field: 'creditCode' });
  }
  return out;
}

/** All known values of a decision: its parties and the third parties named in it. */
export function collectKnownValues(
  input: { parties: readonly RedactableParty[]; thirdPartyNames?: readonly string[] },
  policy: RedactionPolicy = DEFAULT_REDACTION_POLICY,
): KnownValue[] {
  const out = input.parties.flatMap((p) => knownValuesForParty(p, policy));
  for (const name of input.thirdPartyNames ?? []) {
    if (name.trim() !== '') out.push({ value: name.trim(), category: 'THIRD_PARTY_NAME', field: 'thirdPartyName' });
  }
  return out;
}

/**
 * The party as published (N1: the entry names the party): removed fields are dropped, the natural
 * person's name is masked, also where it is part of an individual business's name (张三水果店 →
 * 张某水果店), as redactText does in the text.
 */
export function publicPartyView<P extends RedactableParty>(party: P, policy: RedactionPolicy = DEFAULT_REDACTION_POLICY): Partial<P> {
  const rule = policy.parties[party.kind];
  const out: Record<string, unknown> = { ...(party as RedactableParty) };
  for (const field of rule.remove) delete out[field];
  const personName = personNameOf(party)?.trim();
  if (personName && rule.personName !== 'FULL') {
    const masked = maskName(personName, rule.personName, policy);
    if (party.kind === 'PERSON') out.name = masked;
    else {
      out.legalRepresentative = masked;
      out.name = replaceKnownValue(party.name, personName, masked);
    }
  }
  return out as Partial<P>;
}

// ---------------------------------------------------------------- findings and hashing

/** One redaction. It never holds the removed value, only a keyed hash of it. */
export interface RedactionFinding {
  readonly category: RedactionCategory;
  readonly detector: RedactionDetector;
  /** UTF-16 offsets into the served (original) text; end is exclusive. */
  readonly start: number;
  readonly end: number;
  readonly length: number;
  readonly replacement: string;
  readonly field?: string;
  /**
   * HMAC-SHA256 of the removed text, keyed with the caller's secret salt (hex). A plain SHA-256
   * would re-leak short values: mainland mobile numbers are ~10^10 candidates and ID numbers far
   * fewer once region and birth date are guessed, so an unkeyed hash is brute-forced in minutes.
   * The salt must therefore be secret and kept with the case file, never published with the
   * manifest; whoever holds it (and the served text) can confirm what each finding removed.
   */
  readonly valueHash: string;
}

export interface RedactionContext {
  readonly knownValues: readonly KnownValue[];
  /** Secret key for `valueHash` (see RedactionFinding); at least MIN_SALT_LENGTH characters. */
  readonly salt: string;
}

export interface RedactionResult {
  readonly text: string;
  readonly findings: RedactionFinding[];
}

export const MIN_SALT_LENGTH = 16;

export function hashRedactedValue(value: string, salt: string): string {
  return createHmac('sha256', salt).update(value, 'utf8').digest('hex');
}

function requireSalt(salt: string): void {
  if (typeof salt !== 'string' || salt.length < MIN_SALT_LENGTH) {
    throw new ValidationError(`隐去记录的密钥（盐值）至少需要 ${MIN_SALT_LENGTH} 个字符`, [
      { path: 'salt', message: `至少 ${MIN_SALT_LENGTH} 个字符` },
    ]);
  }
}

// ---------------------------------------------------------------- the normalised view

/**
 * Detection runs on a normalised view of the text (issue 11, point 4), because what people type is
 * not what the patterns were written for: full-width digits (１３８…), separators inside numbers
 * (138.0013.8000, 4012/8888/8888/1881, 4012888 888881881), a space inside a name (欧阳 娜娜) or an
 * address. Each UTF-16 unit of the view remembers the range of original units it came from, so a
 * match in the view is redacted as the ORIGINAL span that formed the value (separators included) and
 * the published text keeps its original characters everywhere else.
 *
 * Folded: the full-width and half-width forms (U+FF00–U+FFEF), the small form variants
 * (U+FE50–U+FE6F) and the CJK compatibility ideographs (U+F900–U+FAFF) by NFKC, and every space
 * character (U+3000, no-break space, ...) to ' '. Dropped: format characters (zero-width space, soft
 * hyphen, word joiner, BOM, bidi marks), which a reader does not see either. The rest of NFKC is left
 * out on purpose: it turns circled and superscript digits into digits, which would glue an
 * enumerator onto the number after it (①13912345678 would hide the phone number).
 * Separators and spaces stay in the view: the number reader and the known-value patterns below skip
 * them, and only where the joined value passes a detector.
 */
export interface NormalisedView {
  readonly text: string;
  /** For each UTF-16 unit of `text`, the original range [from, to) it stands for. */
  readonly from: readonly number[];
  readonly to: readonly number[];
}

/** The characters the view changes: format characters, spaces other than ' ' (Zs), the NFKC blocks. */
const FOLDED_CHAR_RE = /[\p{Cf}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\uF900-\uFAFF\uFE50-\uFE6F\uFF00-\uFFEF]/gu;
const FORMAT_CHAR_RE = /^\p{Cf}$/u;
const SPACE_CHAR_RE = /^\p{Zs}$/u;

function foldChar(ch: string): string {
  if (FORMAT_CHAR_RE.test(ch)) return '';
  if (SPACE_CHAR_RE.test(ch)) return ' ';
  return ch.normalize('NFKC');
}

export function normalisedView(text: string): NormalisedView {
  const pieces: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let copied = 0;
  // Everything between two folded characters is copied as is, unit for unit (most of a decision).
  const copyUpTo = (end: number): void => {
    pieces.push(text.slice(copied, end));
    for (let i = copied; i < end; i++) {
      from.push(i);
      to.push(i + 1);
    }
  };
  for (const m of text.matchAll(FOLDED_CHAR_RE)) {
    copyUpTo(m.index);
    const folded = foldChar(m[0]);
    pieces.push(folded);
    for (let k = 0; k < folded.length; k++) {
      from.push(m.index);
      to.push(m.index + m[0].length);
    }
    copied = m.index + m[0].length;
  }
  copyUpTo(text.length);
  return { text: pieces.join(''), from, to };
}

/** The original span of the view's units [start, end), end > start. */
function originalSpan(view: NormalisedView, start: number, end: number): { start: number; end: number } {
  return { start: view.from[start]!, end: view.to[end - 1]! };
}

// ---------------------------------------------------------------- detectors

/** Luhn (ISO/IEC 7812) check over a string of digits. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Numbers are read as runs of digit groups, each joined to the next by one separator: one or two
 * spaces, or one of - ‐ ‑ ‒ – — ― − . · ・ 。 / with at most a space on either side. A candidate is a
 * stretch of WHOLE groups (a number is never taken from the middle of a group); its separators are
 * ignored only when the joined digits pass a detector and the stretch reads as one number written in
 * pieces rather than several numbers side by side:
 * - one kind of separator throughout (2026-03-01 138 0013 8000 is a date and a phone);
 * - a dot, full stop or slash joins only when there are at least two of them (50000.00元 and
 *   138000000.00元 are amounts; 138.0013.8000 and 4012/8888/8888/1881 are not);
 * - no group is an ID or mobile number on its own (邮政编码223800 13800138000: the phone stands
 *   alone). A group that merely passes Luhn does not count: one number in ten does;
 * - phones and cards do not start with a date (20260301-20260315, 2026 3 1 …) and are not
 *   thousands grouping (13 800 138 000元);
 * - cards are groups of four with a shorter last one, 4-6-4 or 4-6-5, or two pieces
 *   (4012888 888881881).
 * ID numbers need nothing more than their own check digit and birth date, which are strong.
 *
 * Boundaries are those of the contiguous patterns before: ID numbers are bounded by digits only (the
 * checksum plus birth date make a false match rare, so ID320102… is still taken); mobile and card
 * numbers are weak patterns (a prefix; a 1-in-10 checksum), so they must not touch ASCII letters:
 * that keeps them out of credit codes (91321300MA…), case numbers and the like.
 */
const SEPARATOR_PUNCT = '\\-\\u2010-\\u2015\\u2212.\\u00B7\\u30FB\\u3002/';
const SEPARATOR_RE = new RegExp(`^(?:[ \\t]{1,2}|[ \\t]?([${SEPARATOR_PUNCT}])[ \\t]?)$`);
/** The same separator, optional, between the digits of a known number. */
const KNOWN_NUMBER_JOINER = `(?:[ \\t]{1,2}|[ \\t]?[${SEPARATOR_PUNCT}][ \\t]?)?`;
const SEPARATORS_G = new RegExp(`[\\s${SEPARATOR_PUNCT}]+`, 'g');
const DOT_LIKE_SEPARATORS = new Set(['.', '\u00B7', '\u30FB', '\u3002', '/']);
const MOBILE_DIGITS_RE = /^(?:0086|86)?1[3-9]\d{9}$/;
/** The longest number read: a 19-digit card (an ID number has 18, a mobile with 0086 15). */
const MAX_NUMBER_DIGITS = 19;
const EMAIL_RE = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/g;
/** The label that makes an 18-character code an organisation's code (labelledCreditCodesArePublic). */
const CREDIT_LABEL_RE = /信用代码[^\d\n]{0,8}$/;

interface DigitGroup {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
}
interface DigitRun {
  readonly groups: readonly DigitGroup[];
  /** seps[k] joins groups k and k + 1: its punctuation character, or ' ' for spaces only. */
  readonly seps: readonly string[];
}
type NumberKind = 'id' | 'mobile' | 'card';
interface NumberMatch {
  readonly kind: NumberKind;
  /** Offsets into the view. */
  readonly start: number;
  readonly end: number;
  /** The number without separators (an ID number's check character upper-cased). */
  readonly compact: string;
}

function digitRuns(view: string): DigitRun[] {
  const runs: DigitRun[] = [];
  let groups: DigitGroup[] = [];
  let seps: string[] = [];
  for (const m of view.matchAll(/\d+/g)) {
    const group = { start: m.index, end: m.index + m[0].length, digits: m[0] };
    const prev = groups.at(-1);
    const sep = prev !== undefined && group.start - prev.end <= 3 ? SEPARATOR_RE.exec(view.slice(prev.end, group.start)) : null;
    if (sep) {
      groups.push(group);
      seps.push(sep[1] ?? ' ');
      continue;
    }
    if (groups.length > 0) runs.push({ groups, seps });
    groups = [group];
    seps = [];
  }
  if (groups.length > 0) runs.push({ groups, seps });
  return runs;
}

const isAsciiLetter = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c);

function isDate(y: string, m: string, d: string): boolean {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  return y.length === 4 && year >= 1900 && year <= 2099 && m.length <= 2 && month >= 1 && month <= 12 && d.length <= 2 && day >= 1 && day <= 31;
}

/** Groups first..last begin with a date: YYYYMMDD in one group, or YYYY, M(M), D(D) in three. */
function startsWithDate(groups: readonly DigitGroup[], first: number, last: number): boolean {
  const g = groups[first]!.digits;
  if (g.length === 8 && isDate(g.slice(0, 4), g.slice(4, 6), g.slice(6))) return true;
  return last - first >= 2 && isDate(g, groups[first + 1]!.digits, groups[first + 2]!.digits);
}

/** 1–3 digits, then groups of exactly three: how amounts are grouped (13 800 138 000). */
function isThousands(groups: readonly DigitGroup[], first: number, last: number): boolean {
  if (last - first < 2 || groups[first]!.digits.length > 3) return false;
  for (let k = first + 1; k <= last; k++) if (groups[k]!.digits.length !== 3) return false;
  return true;
}

function isCardShape(lengths: readonly number[]): boolean {
  if (lengths.length <= 2) return true;
  if (lengths.slice(0, -1).every((n) => n === 4) && lengths.at(-1)! <= 4) return true;
  const shape = lengths.join('-');
  return shape === '4-6-4' || shape === '4-6-5';
}

/** Whether the separators between groups first..last may be ignored (see above). */
function joinable(run: DigitRun, first: number, last: number, kind: NumberKind, alone: readonly boolean[]): boolean {
  if (first === last) return true;
  const seps = run.seps.slice(first, last);
  if (seps.some((s) => s !== seps[0])) return false;
  if (DOT_LIKE_SEPARATORS.has(seps[0]!) && seps.length < 2) return false;
  for (let k = first; k <= last; k++) if (alone[k]) return false;
  if (kind !== 'id' && (startsWithDate(run.groups, first, last) || isThousands(run.groups, first, last))) return false;
  return true;
}

/** The numbers that groups i..j of a run form; `compact` is their digits. */
function numbersAt(view: string, run: DigitRun, i: number, j: number, compact: string, alone: readonly boolean[]): NumberMatch[] {
  const first = run.groups[i]!;
  const last = run.groups[j]!;
  const before = view[first.start - 1];
  const after = view[last.end];
  const out: NumberMatch[] = [];

  // ID number: 18 digits, or 17 and the check character X right after the last group.
  const checkX = (after === 'X' || after === 'x') && !/\d/.test(view[last.end + 1] ?? '');
  const id = compact.length === 18 ? compact : compact.length === 17 && checkX ? `${compact}X` : undefined;
  if (id !== undefined && isValidIdNumber(id) && joinable(run, i, j, 'id', alone)) {
    out.push({ kind: 'id', start: first.start, end: compact.length === 18 ? last.end : last.end + 1, compact: id });
  }

  if (isAsciiLetter(before) || isAsciiLetter(after)) return out;

  // Mobile number, optionally after 86 / 0086 / +86, which may be a group of its own with its own separator.
  if (MOBILE_DIGITS_RE.test(compact)) {
    const prefixGroup = j > i && (first.digits === '86' || first.digits === '0086');
    const plus = before === '+';
    const plusAllowed = !plus || (compact.startsWith('86') && !/[0-9A-Za-z+]/.test(view[first.start - 2] ?? ''));
    if (plusAllowed && joinable(run, prefixGroup ? i + 1 : i, j, 'mobile', alone)) {
      out.push({ kind: 'mobile', start: plus ? first.start - 1 : first.start, end: last.end, compact });
    }
  }

  // Bank card: 13–19 digits passing Luhn.
  if (compact.length >= 13 && compact.length <= 19 && passesLuhn(compact)) {
    const lengths = run.groups.slice(i, j + 1).map((g) => g.digits.length);
    if (isCardShape(lengths) && joinable(run, i, j, 'card', alone)) out.push({ kind: 'card', start: first.start, end: last.end, compact });
  }
  return out;
}

/** The shortest number read: a mobile number. */
const MIN_NUMBER_DIGITS = 11;

/** Every ID, mobile and card number in the view, as stretches of whole digit groups. */
function numberMatches(view: string): NumberMatch[] {
  const out: NumberMatch[] = [];
  for (const run of digitRuns(view)) {
    const { groups } = run;
    const none = groups.map(() => false);
    const alone =
      groups.length === 1
        ? none
        : groups.map((g, k) => g.digits.length >= MIN_NUMBER_DIGITS && numbersAt(view, run, k, k, g.digits, none).some((m) => m.kind !== 'card'));
    for (let i = 0; i < groups.length; i++) {
      let compact = '';
      for (let j = i; j < groups.length; j++) {
        compact += groups[j]!.digits;
        if (compact.length > MAX_NUMBER_DIGITS) break;
        if (compact.length >= MIN_NUMBER_DIGITS) out.push(...numbersAt(view, run, i, j, compact, alone));
      }
    }
  }
  return out;
}

interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly category: RedactionCategory;
  readonly detector: RedactionDetector;
  readonly replacement: string;
  readonly field?: string | undefined;
  /** Input order of known values: the last tie-breaker, so results never depend on sort stability. */
  readonly order: number;
}

function* matches(re: RegExp, text: string, overlapping = false): Generator<{ start: number; end: number; value: string }> {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (let m = g.exec(text); m !== null; m = g.exec(text)) {
    const value = m[0];
    if (value === '') {
      g.lastIndex += 1;
      continue;
    }
    yield { start: m.index, end: m.index + value.length, value };
    // For known values, step one code unit on rather than past the match, so that overlapping
    // occurrences are all found (the clusters below merge them). Detector patterns are bounded
    // tokens and continue after the match.
    if (overlapping) g.lastIndex = m.index + 1;
  }
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Dots people type for the middle dot of a name (阿依古丽·买买提). */
const NAME_DOTS = '\\u00B7\\u30FB\\u2022\\u2027\\u2219.';
const NAME_DOT_RE = new RegExp(`^[${NAME_DOTS}]$`);

/**
 * The pattern of a known value in the view. The value is folded like the text (a value entered in
 * full-width digits matches half-width ones and the reverse). A known number also matches with a
 * separator between any two digits (138-0013-8000, 138.0013.8000, 6222 0212 …) and an ID number's
 * check character in either case. Any other value (names, addresses, health data, credit codes)
 * matches with spaces between its characters (欧阳 娜娜) and any of the usual dots for a middle dot.
 */
function knownValuePattern(value: string, category: KnownValueCategory): RegExp {
  const folded = normalisedView(value).text;
  const compact = folded.replace(SEPARATORS_G, '');
  const numeric = (category === 'ID_NUMBER' || category === 'PHONE' || category === 'BANK_ACCOUNT') && /^\d+[Xx]?$/.test(compact);
  if (numeric) {
    const parts = Array.from(compact, (c) => (c === 'X' || c === 'x' ? '[Xx]' : c));
    return new RegExp(parts.join(KNOWN_NUMBER_JOINER), 'g');
  }
  const chars = Array.from(folded.replace(/\s+/g, ''), (c) => (NAME_DOT_RE.test(c) ? `[${NAME_DOTS}]` : escapeRe(c)));
  // PUBLIC credit codes are compared case-insensitively; other known values literally.
  return new RegExp(chars.join('[ \\t]*'), category === 'PUBLIC' ? 'gi' : 'g');
}

/**
 * Every occurrence of a known name in `text`, matched as redactText matches it (spaces, width),
 * replaced: 欧阳 娜娜水果店 → 欧阳某某水果店.
 */
function replaceKnownValue(text: string, value: string, replacement: string): string {
  const view = normalisedView(text);
  const spans: Span[] = [];
  let prevEnd = 0;
  for (const m of matches(knownValuePattern(value, 'PERSON_NAME'), view.text)) {
    const { start, end } = originalSpan(view, m.start, m.end);
    if (start < prevEnd) continue;
    spans.push({ start, end, length: end - start, replacement });
    prevEnd = end;
  }
  return applyRedactions(text, spans);
}

const DETECTOR_RANK: Record<RedactionDetector, number> = { known: 0, 'id-number': 1, 'bank-card': 2, mobile: 3, email: 4 };
const CATEGORY_RANK = Object.fromEntries(REDACTION_CATEGORIES.map((c, i) => [c, i])) as Record<RedactionCategory, number>;

/** Longest first, then earliest, then known before detectors, then a fixed category order. */
function compareWinner(a: Candidate, b: Candidate): number {
  return (
    b.end - b.start - (a.end - a.start) ||
    a.start - b.start ||
    DETECTOR_RANK[a.detector] - DETECTOR_RANK[b.detector] ||
    CATEGORY_RANK[a.category] - CATEGORY_RANK[b.category] ||
    a.order - b.order ||
    (a.replacement < b.replacement ? -1 : a.replacement > b.replacement ? 1 : 0)
  );
}

// ---------------------------------------------------------------- redactText

/**
 * Removes personal data from `text`. Everything is matched on the normalised view of the text (see
 * NormalisedView) and replaced in the original text, span for span.
 *
 * (a) Known values: every occurrence of each non-PUBLIC known value is replaced, with the value's
 *     own replacement or the policy's mark for its category. PERSON_NAME values without a
 *     replacement follow `policy.parties.PERSON.personName`; THIRD_PARTY_NAME values follow
 *     `policy.thirdPartyNames`. Blank values are ignored.
 * (b) Detectors over free text: ID numbers with a valid GB 11643 check (x or X), mainland mobile
 *     numbers (1[3-9] + 9 digits, optionally 86 / 0086 / +86), bank card numbers of 13–19 digits
 *     passing Luhn, each contiguous or written in pieces as described at `numbersAt`, never inside
 *     a longer digit group; e-mail addresses.
 *
 * Credit codes (N1 publishes them): a detector match is dropped when it lies inside a PUBLIC known
 * value (the organisation's own code from its structured record), or, with
 * `labelledCreditCodesArePublic`, when it is a valid GB 32100 credit code right after the label
 * 信用代码 / 统一社会信用代码. Nothing else protects an 18-digit credit code that also passes the
 * ID check: unlabelled and unknown, it is removed as an ID number, on the privacy-safe side.
 * PUBLIC values never protect against known personal values (a declared ID number always goes).
 *
 * Overlaps: matches that overlap, directly or through a chain, form one cluster; the cluster is
 * replaced as a whole by its winner's replacement (longest, then earliest, then known before
 * detectors). Replacing the union rather than only the winner means no piece of a losing match is
 * left in the published text. An ID number that also passes Luhn is therefore one finding.
 */
export function redactText(text: string, context: RedactionContext, policy: RedactionPolicy = DEFAULT_REDACTION_POLICY): RedactionResult {
  requireSalt(context.salt);
  const view = normalisedView(text);
  const folded = view.text;
  const candidates: Candidate[] = [];
  /** In view offsets, like the detector matches they are compared with. */
  const publicSpans: { start: number; end: number }[] = [];
  const add = (viewStart: number, viewEnd: number, c: Omit<Candidate, 'start' | 'end'>): void => {
    candidates.push({ ...c, ...originalSpan(view, viewStart, viewEnd) });
  };

  // Deduplicate (value, category): the same ID number listed twice is one set of matches.
  const seen = new Set<string>();
  context.knownValues.forEach((kv, order) => {
    if (kv.value.trim() === '') return;
    const key = `${kv.category}\u0000${kv.value}\u0000${kv.replacement ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    const re = knownValuePattern(kv.value, kv.category);
    if (kv.category === 'PUBLIC') {
      for (const m of matches(re, folded, true)) publicSpans.push(m);
      return;
    }
    const replacement = replacementFor(kv, policy);
    if (replacement === undefined) return;
    for (const m of matches(re, folded, true)) {
      add(m.start, m.end, { category: kv.category, detector: 'known', replacement, field: kv.field, order });
    }
  });

  const isPublic = (start: number, end: number, value: string): boolean =>
    publicSpans.some((p) => p.start <= start && end <= p.end) ||
    (policy.labelledCreditCodesArePublic &&
      isValidCreditCode(value.toUpperCase()) &&
      CREDIT_LABEL_RE.test(folded.slice(Math.max(0, start - 24), start)));

  const detected = (detector: RedactionDetector, category: RedactionCategory, start: number, end: number): void => {
    add(start, end, { category, detector, replacement: policy.marks[category], order: Number.MAX_SAFE_INTEGER });
  };

  const { idNumber, mobile, bankCard, email } = policy.detectors;
  if (idNumber || mobile || bankCard) {
    for (const m of numberMatches(folded)) {
      if (isPublic(m.start, m.end, m.compact)) continue;
      if (m.kind === 'id' && idNumber) detected('id-number', 'ID_NUMBER', m.start, m.end);
      if (m.kind === 'mobile' && mobile) detected('mobile', 'PHONE', m.start, m.end);
      if (m.kind === 'card' && bankCard) detected('bank-card', 'BANK_ACCOUNT', m.start, m.end);
    }
  }
  if (email) {
    for (const m of matches(EMAIL_RE, folded)) {
      if (!isPublic(m.start, m.end, m.value)) detected('email', 'EMAIL', m.start, m.end);
    }
  }

  const findings = resolve(candidates).map((c): RedactionFinding => {
    const finding: RedactionFinding = {
      category: c.category,
      detector: c.detector,
      start: c.start,
      end: c.end,
      length: c.end - c.start,
      replacement: c.replacement,
      ...(c.field === undefined ? {} : { field: c.field }),
      valueHash: hashRedactedValue(text.slice(c.start, c.end), context.salt),
    };
    return finding;
  });
  return { text: applyRedactions(text, findings), findings };
}

function replacementFor(kv: KnownValue, policy: RedactionPolicy): string | undefined {
  const category = kv.category as RedactionCategory;
  if (kv.replacement !== undefined) return kv.replacement === kv.value ? undefined : kv.replacement;
  if (category === 'PERSON_NAME') {
    const handling = policy.parties.PERSON.personName;
    return handling === 'FULL' ? undefined : maskName(kv.value, handling, policy);
  }
  if (category === 'THIRD_PARTY_NAME' && policy.thirdPartyNames === 'SURNAME_ONLY') {
    return maskName(kv.value, 'SURNAME_ONLY', policy);
  }
  return policy.marks[category];
}

/** Clusters of overlapping candidates → one span each, with the cluster winner's replacement. */
function resolve(candidates: readonly Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end || compareWinner(a, b));
  const out: Candidate[] = [];
  let cluster: Candidate[] = [];
  let clusterEnd = -1;
  const flush = (): void => {
    if (cluster.length === 0) return;
    const winner = [...cluster].sort(compareWinner)[0]!;
    const start = cluster[0]!.start;
    out.push({ ...winner, start, end: clusterEnd });
    cluster = [];
  };
  for (const c of sorted) {
    if (c.start >= clusterEnd) flush();
    cluster.push(c);
    clusterEnd = Math.max(clusterEnd, c.end);
  }
  flush();
  return out;
}

// ---------------------------------------------------------------- applying and verifying

type Span = Pick<RedactionFinding, 'start' | 'end' | 'length' | 'replacement'>;

/** Findings sorted by start, or undefined when one is out of range, inconsistent or overlapping. */
function checkedSpans<S extends Span>(textLength: number, findings: readonly S[]): S[] | undefined {
  const sorted = [...findings].sort((a, b) => a.start - b.start);
  let prevEnd = 0;
  for (const f of sorted) {
    if (!Number.isSafeInteger(f.start) || !Number.isSafeInteger(f.end)) return undefined;
    if (f.start < prevEnd || f.end <= f.start || f.end > textLength || f.length !== f.end - f.start) return undefined;
    if (typeof f.replacement !== 'string') return undefined;
    prevEnd = f.end;
  }
  return sorted;
}

/**
 * Replaces each finding's span of `text` by its replacement. Works right to left, so every offset
 * still refers to the original text, and collects the pieces instead of re-slicing the whole
 * string per finding (that was quadratic: seconds for a long decision with thousands of findings).
 * Throws on overlapping or out-of-range findings.
 */
export function applyRedactions(text: string, findings: readonly Span[]): string {
  const sorted = checkedSpans(text.length, findings);
  if (!sorted) throw new ValidationError('隐去记录的位置无效（越界、长度不符或相互重叠）');
  const pieces: string[] = [];
  let tail = text.length;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const f = sorted[i]!;
    pieces.push(text.slice(f.end, tail), f.replacement);
    tail = f.start;
  }
  pieces.push(text.slice(0, tail));
  return pieces.reverse().join('');
}

/** A mask produced by maskName's SURNAME_ONLY rule: one or two characters and 某 or 某某. */
const NAME_MASK_RE = /^[^\s某]{1,2}某{1,2}$|^某$/u;

export interface VerifyOptions {
  /** With the salt, each finding's valueHash must match the served text it removed. */
  readonly salt?: string;
  /**
   * With the policy, each replacement must be the policy's mark for its category or, for names,
   * a surname mask: a finding cannot smuggle new text into the published version.
   */
  readonly policy?: RedactionPolicy;
}

/**
 * N2: true when replacing exactly the findings' spans of the served text by their replacements
 * gives the published text, i.e. the published text equals the served text except for the listed
 * redactions. Findings must be in range, self-consistent (length = end − start) and disjoint.
 */
export function verifyRedaction(
  servedText: string,
  publishedText: string,
  findings: readonly RedactionFinding[],
  options: VerifyOptions = {},
): boolean {
  const sorted = checkedSpans(servedText.length, findings);
  if (!sorted) return false;
  if (applyRedactions(servedText, sorted) !== publishedText) return false;
  const { salt, policy } = options;
  if (salt !== undefined && !sorted.every((f) => f.valueHash === hashRedactedValue(servedText.slice(f.start, f.end), salt))) {
    return false;
  }
  if (policy !== undefined) {
    const allowed = (f: RedactionFinding): boolean =>
      f.replacement === policy.marks[f.category] ||
      ((f.category === 'PERSON_NAME' || f.category === 'THIRD_PARTY_NAME') && NAME_MASK_RE.test(f.replacement));
    if (!sorted.every(allowed)) return false;
  }
  return true;
}

// ---------------------------------------------------------------- manifest

export interface RedactionManifest {
  readonly servedSha256: string;
  readonly publishedSha256: string;
  readonly policyVersion: string;
  /** Positions, categories, replacements and keyed hashes; never the removed values. */
  readonly findings: readonly RedactionFinding[];
  readonly createdAt?: string;
}

/**
 * The record kept with a publication (N2). Refuses to build a manifest that does not prove
 * anything: the findings must turn the served text into the published text.
 */
export function buildRedactionManifest(input: {
  servedText: string;
  publishedText: string;
  findings: readonly RedactionFinding[];
  policyVersion: string;
  /** Passed in to keep this function pure. */
  createdAt?: string;
}): RedactionManifest {
  const { servedText, publishedText, findings, policyVersion, createdAt } = input;
  if (!verifyRedaction(servedText, publishedText, findings)) {
    throw new BusinessRuleError('REDACTION_MISMATCH', '公开文本与送达文本除所列隐去内容外不一致，不能生成隐去记录');
  }
  return {
    servedSha256: sha256Hex(servedText),
    publishedSha256: sha256Hex(publishedText),
    policyVersion,
    // Copy field by field so that nothing a caller attached to a finding ends up in the manifest.
    findings: [...findings]
      .sort((a, b) => a.start - b.start)
      .map((f) => ({
        category: f.category,
        detector: f.detector,
        start: f.start,
        end: f.end,
        length: f.length,
        replacement: f.replacement,
        ...(f.field === undefined ? {} : { field: f.field }),
        valueHash: f.valueHash,
      })),
    ...(createdAt === undefined ? {} : { createdAt }),
  };
}

/** The manifest matches both texts: their hashes, and verifyRedaction over its findings. */
export function verifyRedactionManifest(
  manifest: RedactionManifest,
  servedText: string,
  publishedText: string,
  options: VerifyOptions = {},
): boolean {
  return (
    manifest.servedSha256 === sha256Hex(servedText) &&
    manifest.publishedSha256 === sha256Hex(publishedText) &&
    verifyRedaction(servedText, publishedText, manifest.findings, options)
  );
}
