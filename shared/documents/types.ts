/**
 * The penalty-procedure documents (行政处罚文书, issue 15 point 4, requirement P7): their types, the
 * filled form a template gives, and the field values a caller supplies. Pure data; no pdfkit here.
 */

export const DOCUMENT_TYPES = [
  'FILING_APPROVAL',
  'PENALTY_NOTICE',
  'HEARING_NOTICE',
  'HEARING_RECORD',
  'PENALTY_DECISION',
  'SERVICE_RECEIPT',
  'CLOSING_APPROVAL',
  'PENALTY_SUMMARY',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_TYPE_LABELS: Readonly<Record<DocumentType, string>> = {
  FILING_APPROVAL: '立案审批表',
  PENALTY_NOTICE: '行政处罚告知书',
  HEARING_NOTICE: '听证通知书',
  HEARING_RECORD: '听证笔录',
  PENALTY_DECISION: '行政处罚决定书',
  SERVICE_RECEIPT: '送达回证',
  CLOSING_APPROVAL: '结案审批表',
  PENALTY_SUMMARY: '行政处罚信息摘要',
};

export const isDocumentType = (value: unknown): value is DocumentType =>
  typeof value === 'string' && (DOCUMENT_TYPES as readonly string[]).includes(value);

/**
 * The values put into a template, by field name. A string fills `{{name}}`; an array fills a list
 * block (or, in a `{{name}}` placeholder, its items joined with '、'). Absent, '' (after trimming) and
 * [] all count as missing.
 */
export type DocumentFields = Readonly<Record<string, string | readonly string[] | undefined>>;

/** One label and its value: a row of a label-value table, or a line of a signature block. */
export interface FilledRow {
  readonly label: string;
  readonly value: string;
}

/**
 * A block of a filled document, in reading order:
 * - heading: a section title, bold-ish and on its own line;
 * - paragraph: running text (first line indented two characters when `indent`);
 * - table: a bordered two-column table of labels and values (立案审批表, 送达回证…);
 * - list: the items of an array field (e.g. the evidence), numbered when `ordered`;
 * - signature: lines to be signed by hand (label, then the printed name or a blank), with a
 *   「年 月 日」 line to be written by hand when `date`;
 * - seal: the issuing agency's name at the right, over the document's date (the seal goes there).
 */
export type FilledBlock =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string; readonly indent: boolean }
  | { readonly kind: 'table'; readonly rows: readonly FilledRow[] }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly string[] }
  | { readonly kind: 'signature'; readonly lines: readonly FilledRow[]; readonly date: boolean }
  | { readonly kind: 'seal'; readonly text: string };

export interface FilledDocument {
  readonly type: DocumentType;
  readonly templateVersion: number;
  readonly title: string;
  readonly blocks: readonly FilledBlock[];
}
