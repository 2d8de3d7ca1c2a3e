/**
 * Clean free text at the edge (S3, issue 10 point 7). Every free-text field of a request goes through
 * one of these builders so that what is stored, redacted, published and chained into the audit trail
 * is well-formed Unicode a reader can see:
 *
 * - normalised to NFC and trimmed (so that the same name typed on two keyboards compares equal);
 * - no control characters (C0, DEL, C1, U+2028/U+2029); multi-line fields keep `\n` and `\t` only,
 *   with CR LF and lone CR folded to LF first;
 * - no unpaired UTF-16 surrogates (JSON can carry `"\ud800"`; it is not text, and the store may
 *   refuse it with a 500);
 * - no bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069): they make a displayed
 *   text read differently from what was stored ("Trojan Source");
 * - not invisible only: a value made of zero-width and other invisible characters is refused where a
 *   value is required, as an empty one would be.
 *
 * The checks are zod refinements after `normalize`/`trim` (zod 4 "overwrite" steps, not transforms),
 * so the schemas stay representable for the OpenAPI document: type, minLength and maxLength are
 * published, the refinements are not.
 */
import * as z from './z.ts';

/** C0 controls except TAB and LF, DEL, C1 controls, LINE/PARAGRAPH SEPARATOR. */
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/u;
/** As above, and TAB and LF too. */
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/**
 * Characters that render as nothing: white space, zero-width space/joiners and marks (U+200B–U+200F),
 * word joiner and invisible operators (U+2060–U+2064), BOM, soft hyphen, combining grapheme joiner,
 * Mongolian vowel separator, Hangul fillers, variation selectors, Arabic letter mark.
 */
const INVISIBLE = /[\s\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u2060-\u2064\u3164\ufe00-\ufe0f\ufeff\uffa0]/gu;

export const TEXT_MESSAGES = {
  control: '不能包含控制字符（如 NUL、退格等不可见的控制符）',
  controlSingleLine: '不能包含换行符、制表符或其他控制字符',
  surrogate: '包含无效的 Unicode 字符（不成对的代理项）',
  bidi: '不能包含改变文字方向的控制字符（U+202A–U+202E、U+2066–U+2069）',
  invisible: '不能只由空白或不可见字符组成',
} as const;

/** True when the string holds an unpaired UTF-16 surrogate. */
export const hasLoneSurrogate = (value: string): boolean => LONE_SURROGATE.test(value);

/** True when the string is empty or renders as nothing (white space and invisible characters only). */
export const isInvisibleOnly = (value: string): boolean => value.replace(INVISIBLE, '') === '';

/** Why a (normalised) value is not clean text, or undefined when it is. */
export function textProblem(value: string, multiLine: boolean): string | undefined {
  // Surrogates first: the other patterns are Unicode-aware and would read a lone one as a character.
  if (hasLoneSurrogate(value)) return TEXT_MESSAGES.surrogate;
  if ((multiLine ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(value)) {
    return multiLine ? TEXT_MESSAGES.control : TEXT_MESSAGES.controlSingleLine;
  }
  if (BIDI_CONTROL.test(value)) return TEXT_MESSAGES.bidi;
  if (value !== '' && isInvisibleOnly(value)) return TEXT_MESSAGES.invisible;
  return undefined;
}

/** NFC and trimmed; in multi-line text CR LF and lone CR become LF. What the schemas store. */
export function normaliseText(value: string, multiLine: boolean): string {
  // normalize() leaves lone surrogates as they are; the checks refuse them afterwards.
  const nfc = value.normalize('NFC');
  return (multiLine ? nfc.replace(/\r\n?/g, '\n') : nfc).trim();
}

export interface TextOptions {
  /** Least number of characters (UTF-16 code units, as zod counts) after trimming; default 0. */
  readonly min?: number;
  /** Most characters after trimming. Required: every text has a limit. */
  readonly max: number;
  /** Field name in messages, e.g. '地点'; the error detail names the path in any case. */
  readonly label?: string;
}

function textSchema({ min = 0, max, label }: TextOptions, multiLine: boolean) {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || max < Math.max(min, 1)) {
    throw new RangeError(`text bounds must be integers with 0 <= min <= max, max >= 1 (got ${min}..${max})`);
  }
  const prefix = label ?? '';
  // One `check` call with every step: each chained method would clone the schema, and building
  // schemas is most of a cold start's zod time (issue 13). Same steps, same order, same messages.
  return z.string().check(
    z.normalize('NFC'),
    // Folded before trimming so that a trailing CR goes too.
    ...(multiLine ? [z.overwrite((v: string) => v.replace(/\r\n?/g, '\n'))] : []),
    z.trim(),
    ...(min > 0 ? [z.minLength(min, { message: `${prefix}至少 ${min} 个字符` })] : []),
    z.maxLength(max, { message: `${prefix}不能超过 ${max} 个字符` }),
    z.superRefine((value: string, ctx) => {
      const problem = textProblem(value, multiLine);
      if (problem) ctx.addIssue({ code: 'custom', message: `${prefix}${problem}`, input: value });
    }),
  );
}

/** One line of text: names, places, titles, short reasons. No line breaks, tabs or other controls. */
export const singleLineText = (options: TextOptions) => textSchema(options, false);

/** Prose that may span lines: notes, opinions, facts, document text. `\n` and `\t` are allowed. */
export const multiLineText = (options: TextOptions) => textSchema(options, true);

/**
 * A reference to another entity by its id (officer ids, reviewer ids): printable ASCII only.
 * Ids are UUIDs or short slugs; anything else cannot name an entity and must not reach a key.
 */
export const entityRef = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, { message: '编号只能包含字母、数字、点、下划线、冒号和连字符，长度 1–64' });
