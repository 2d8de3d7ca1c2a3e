/**
 * Document numbers (文书文号), e.g. 宿市监处罚〔2026〕12号: an agency prefix, the document's word (字),
 * the year in 六角括号 and a sequence number. The format is configurable per agency; it must contain
 * {year} and {seq} so that two documents never share a number.
 */

export const DEFAULT_DOCUMENT_NO_FORMAT = '{prefix}{word}〔{year}〕{seq}号';

export interface DocumentNoParts {
  readonly prefix: string;
  readonly word: string;
  readonly year: number;
  readonly seq: number;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const SEQ_WIDTH = /^seq:([1-9])$/;
const KNOWN = new Set(['prefix', 'word', 'year', 'seq']);

/** What is wrong with a format, in Chinese for the administrator who typed it; undefined when it is fine. */
export function documentNoFormatProblem(format: string): string | undefined {
  const names = [...format.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
  const unknown = names.filter((n) => !KNOWN.has(n) && !SEQ_WIDTH.test(n));
  if (unknown.length > 0) {
    return `文号格式含有不认识的占位符：${unknown.map((n) => `{${n}}`).join('、')}（可用 {prefix}、{word}、{year}、{seq}、{seq:3}）`;
  }
  const stray = format.replace(PLACEHOLDER, '');
  if (stray.includes('{') || stray.includes('}')) return '文号格式中的花括号不成对';
  if (!names.includes('year')) return '文号格式必须包含年份 {year}';
  if (!names.some((n) => n === 'seq' || SEQ_WIDTH.test(n))) return '文号格式必须包含序号 {seq}（或补零的 {seq:3}）';
  if (names.filter((n) => n === 'seq' || SEQ_WIDTH.test(n)).length > 1) return '文号格式只能包含一个序号';
  return undefined;
}

/** The number for the parts; `{seq:3}` pads the sequence with zeros to 3 digits, `{seq}` does not pad. */
export function formatDocumentNo(format: string, parts: DocumentNoParts): string {
  const problem = documentNoFormatProblem(format);
  if (problem) throw new Error(problem);
  if (!Number.isInteger(parts.seq) || parts.seq < 1) throw new Error(`序号必须是正整数：${parts.seq}`);
  if (!Number.isInteger(parts.year) || parts.year < 1000 || parts.year > 9999) throw new Error(`年份必须是四位数：${parts.year}`);
  return format.replace(PLACEHOLDER, (_, name: string) => {
    if (name === 'prefix') return parts.prefix;
    if (name === 'word') return parts.word;
    if (name === 'year') return String(parts.year);
    if (name === 'seq') return String(parts.seq);
    const width = Number(SEQ_WIDTH.exec(name)?.[1] ?? 0);
    return String(parts.seq).padStart(width, '0');
  });
}
