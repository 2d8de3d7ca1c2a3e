/**
 * Spreadsheet reader for list imports (D2: a bureau's admin uploads its 职权事项清单 as .xlsx or .csv).
 *
 * The output is deliberately "stringly typed": every cell is a trimmed string, so the importer applies
 * one set of validation rules no matter which format the admin happened to save. Row numbers are the
 * ones the admin sees in Excel, because every validation error we report back points at a row.
 */

// The `universal` entry reads from an ArrayBuffer in memory. The `node` entry would pull in
// stream-based unzipping (and accepts file paths), which we neither need nor want in a Lambda bundle.
import type { SheetData } from 'read-excel-file/universal';

/** Input size cap; bigger uploads are almost certainly the wrong file, and Lambda memory is finite. */
export const MAX_TABLE_BYTES = 5 * 1024 * 1024;
/** Data-row cap (header excluded, empty rows not counted); one import is one DynamoDB write batch job. */
export const MAX_TABLE_ROWS = 10_000;

export type TableFormat = 'csv' | 'xlsx';

export interface ParsedRow {
  /** Row number as shown in Excel: the header is row 1, the first data row is row 2. */
  rowNumber: number;
  /** Keyed by header text (as in `ParsedTable.headers`); '' for empty cells. */
  cells: Record<string, string>;
}

export interface ParsedTable {
  format: TableFormat;
  /** Trimmed, non-empty header texts in column order. Columns with a blank header are not keyed. */
  headers: string[];
  /** Data rows; completely empty rows are left out, but `rowNumber` still counts them. */
  rows: ParsedRow[];
}

export type TableParseErrorCode = 'TABLE_UNREADABLE' | 'TABLE_TOO_LARGE' | 'TABLE_DUPLICATE_HEADER';

/**
 * A problem with the uploaded file itself (as opposed to the values in it). The message is zh-CN and
 * meant to be shown to the admin as is; `code` is for the API layer to map to a status.
 */
export class TableParseError extends Error {
  override readonly name = 'TableParseError';
  readonly code: TableParseErrorCode;
  /** The row (CSV: text line for unterminated quotes) the problem was found at, when there is one. */
  readonly line: number | undefined;

  constructor(code: TableParseErrorCode, message: string, options?: { line?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.line = options?.line;
  }
}

export interface TableInput {
  bytes: Uint8Array;
  fileName?: string;
  contentType?: string;
}

export async function parseTable(input: TableInput): Promise<ParsedTable> {
  const { bytes } = input;
  if (bytes.byteLength > MAX_TABLE_BYTES) {
    throw new TableParseError(
      'TABLE_TOO_LARGE',
      `文件大小超过 ${MAX_TABLE_BYTES / 1024 / 1024} MB 上限，请拆分后分批导入。`,
    );
  }
  if (bytes.byteLength === 0) {
    throw new TableParseError('TABLE_UNREADABLE', '上传的文件为空。');
  }
  const format = detectFormat(input);
  const grid = format === 'xlsx' ? await readXlsxGrid(bytes) : readCsvGrid(bytes);
  return gridToTable(format, grid);
}

// ---------------------------------------------------------------------------------------------
// Format detection

const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function detectFormat(input: TableInput): TableFormat {
  const { bytes } = input;
  // The bytes decide: browsers send unreliable content types for spreadsheets (often
  // application/octet-stream or application/vnd.ms-excel for .csv), and names get renamed.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'xlsx';
  // Legacy binary .xls (OLE2 compound file). Without this check it would be "decoded" as GBK CSV
  // and the admin would get a baffling list of unknown headers instead of a useful hint.
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    throw new TableParseError(
      'TABLE_UNREADABLE',
      '不支持旧版 Excel 97-2003 (.xls) 格式，请在 Excel 中“另存为” Excel 工作簿 (.xlsx) 或 CSV 后再上传。',
    );
  }
  const claimsXlsx =
    /\.xlsx$/i.test(input.fileName?.trim() ?? '') ||
    (input.contentType ?? '').toLowerCase().split(';')[0]?.trim() === XLSX_CONTENT_TYPE;
  if (claimsXlsx) {
    // An .xlsx is always a ZIP; anything else under that name is damaged or mislabelled, and
    // parsing it as CSV would only produce noise.
    throw new TableParseError('TABLE_UNREADABLE', '文件不是有效的 Excel 工作簿 (.xlsx)，可能已损坏，请重新导出后上传。');
  }
  return 'csv';
}

// ---------------------------------------------------------------------------------------------
// Grid -> table (shared by both formats)

/** A sheet as rows of trimmed strings; index 0 is sheet row 1. */
type Grid = string[][];

function gridToTable(format: TableFormat, grid: Grid): ParsedTable {
  const headerRow = grid[0] ?? [];
  if (headerRow.every((c) => c === '')) {
    throw new TableParseError('TABLE_UNREADABLE', '第 1 行（表头）为空，请确认第 1 行是列标题。', { line: 1 });
  }

  // Blank header cells are skipped rather than rejected: Excel users routinely leave stray
  // formatting or notes in columns to the right of the table.
  const columns: { index: number; header: string }[] = [];
  const seen = new Map<string, number>();
  headerRow.forEach((header, index) => {
    if (header === '') return;
    const earlier = seen.get(header);
    if (earlier !== undefined) {
      // Cells are keyed by header text, so a second column with the same title would silently
      // overwrite the first.
      throw new TableParseError(
        'TABLE_DUPLICATE_HEADER',
        `表头“${header}”重复出现（第 ${columnLetter(earlier)} 列和第 ${columnLetter(index)} 列），请删除或重命名其中一列。`,
        { line: 1 },
      );
    }
    seen.set(header, index);
    columns.push({ index, header });
  });

  const rows: ParsedRow[] = [];
  for (let i = 1; i < grid.length; i++) {
    const raw = grid[i] ?? [];
    // Emptiness looks at every column, including unnamed ones, so a row with stray data is kept
    // and the importer can report it by number instead of it vanishing.
    if (raw.every((c) => c === '')) continue;
    if (rows.length >= MAX_TABLE_ROWS) throw tooManyRows();
    // fromEntries defines own properties, so a header such as "__proto__" is just a key (an
    // assignment into `{}` would set the prototype instead and lose the column).
    const cells = Object.fromEntries(columns.map(({ index, header }) => [header, raw[index] ?? '']));
    rows.push({ rowNumber: i + 1, cells });
  }
  return { format, headers: columns.map((c) => c.header), rows };
}

function tooManyRows(): TableParseError {
  return new TableParseError(
    'TABLE_TOO_LARGE',
    `数据行数超过 ${MAX_TABLE_ROWS} 行上限，请拆分为多个文件分批导入。`,
  );
}

/** Excel column letters (0 -> A, 26 -> AA), because that is how admins locate a column. */
function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// CSV

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function decodeCsv(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    // Excel's "Unicode 文本" export: UTF-16 and tab-separated. Say so rather than guess.
    throw new TableParseError(
      'TABLE_UNREADABLE',
      '不支持 UTF-16（“Unicode 文本”）格式，请另存为“CSV UTF-8（逗号分隔）”或 Excel 工作簿 (.xlsx) 后再上传。',
    );
  }
  try {
    // Strict UTF-8 first (TextDecoder drops a leading BOM): GBK byte sequences are almost never
    // valid UTF-8, so a clean decode is strong evidence the file really is UTF-8.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    if (startsWith(bytes, UTF8_BOM)) {
      // Declared UTF-8 but corrupt: reinterpreting as GBK would only turn it into different garbage.
      throw new TableParseError('TABLE_UNREADABLE', '文件声明为 UTF-8 编码，但内容含有无效字符，请重新导出后上传。', {
        cause,
      });
    }
    // Chinese-locale Excel on Windows saves "CSV（逗号分隔）" in the ANSI code page, i.e. GBK.
    // GB18030 is a superset of GBK, and Node's full ICU ships it.
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function readCsvGrid(bytes: Uint8Array): Grid {
  return parseCsvText(decodeCsv(bytes));
}

/**
 * RFC 4180 parser, lenient where Excel is lenient (a stray quote inside an unquoted field is just a
 * character) and strict where silence would lose data (an unterminated quote swallows the rest of the
 * file, so it is an error). Each record is one Excel row, even when a quoted field spans lines.
 */
export function parseCsvText(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let line = 1; // physical text line, for error messages
  let nonEmptyRecords = 0;
  let i = 0;
  const n = text.length;

  const endField = () => {
    record.push(field.trim());
    field = '';
  };
  const endRecord = () => {
    endField();
    // The header is record 0; stop early instead of parsing a huge file we are going to reject.
    if (records.length > 0 && record.some((c) => c !== '') && ++nonEmptyRecords > MAX_TABLE_ROWS) {
      throw tooManyRows();
    }
    records.push(record);
    record = [];
  };

  while (i < n) {
    const ch = text[i];
    if (ch === '"' && field.trim() === '') {
      // Quoted field (leading spaces before the quote are tolerated and dropped).
      const startLine = line;
      field = '';
      i++;
      for (;;) {
        if (i >= n) {
          throw new TableParseError(
            'TABLE_UNREADABLE',
            `CSV 文件第 ${startLine} 行的引号（"）没有闭合，请检查该行内容后重新上传。`,
            { line: startLine },
          );
        }
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      // Anything between the closing quote and the next delimiter is kept verbatim (Excel does the same).
      continue;
    }
    if (ch === ',') {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
    } else {
      field += ch;
      i++;
    }
  }
  // A final record without a trailing newline. A trailing newline itself does not start a new row.
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

// ---------------------------------------------------------------------------------------------
// XLSX

async function readXlsxGrid(bytes: Uint8Array): Promise<Grid> {
  // Loaded on the first .xlsx only, so the catalog function's other routes do not pay for the reader
  // at cold start (outside the try: a failed load is not a bad file).
  const { readSheet } = await import('read-excel-file/universal');
  let data: SheetData;
  try {
    // Copy into a fresh, exactly-sized ArrayBuffer: a Node Buffer is usually a view into a shared pool,
    // so `bytes.buffer` would hand the reader unrelated bytes. (Not `bytes.slice()`: on a Buffer that
    // is a view, not a copy.)
    data = await readSheet(new Uint8Array(bytes).buffer);
  } catch (cause) {
    throw new TableParseError('TABLE_UNREADABLE', '无法读取该 Excel 文件，文件可能已损坏或不是 .xlsx 格式，请重新导出后上传。', {
      cause,
    });
  }
  // read-excel-file keeps leading empty rows and columns and inserts gaps, so index i is sheet row i+1.
  const grid: Grid = [];
  let nonEmpty = 0;
  for (let i = 0; i < data.length; i++) {
    const cells = (data[i] ?? []).map(xlsxCellToString);
    if (i > 0 && cells.some((c) => c !== '') && ++nonEmpty > MAX_TABLE_ROWS) throw tooManyRows();
    grid.push(cells);
  }
  return grid;
}

function xlsxCellToString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    // The reader returns dates at UTC midnight (serial days carry no time zone), so the UTC
    // calendar date is the date the admin typed. Time of day, if any, is dropped on purpose.
    return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  }
  return String(value).trim();
}

/**
 * Plain decimal, never exponent notation, rounded to the 15 significant digits Excel itself keeps
 * and displays, so 0.1+0.2 reads "0.3" and an 18-digit code typed as a number reads as Excel shows it.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (value === 0) return '0';
  const [mantissa = '0', expPart = '0'] = value.toPrecision(15).split('e');
  const negative = mantissa.startsWith('-');
  const [intDigits = '', fracDigits = ''] = mantissa.replace('-', '').split('.');
  let digits = intDigits + fracDigits;
  // Position of the decimal point counted from the start of `digits`.
  let point = intDigits.length + Number(expPart);
  // Normalise: strip leading zeros (keeping the point aligned) and trailing zeros.
  while (digits.length > 1 && digits.startsWith('0')) {
    digits = digits.slice(1);
    point--;
  }
  digits = digits.replace(/0+$/, '');
  if (digits === '') return '0';
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return negative ? '-' + out : out;
}

// ---------------------------------------------------------------------------------------------
// Header mapping

/**
 * Header comparison key. Admins retype headers by hand in Chinese IMEs, so full-width forms
 * (（）, Ａ, full-width spaces) and stray whitespace/line breaks are common; NFKC folds the full-width
 * forms to ASCII. A leading or trailing "*" is the usual "required column" marker in templates.
 */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/gu, '')
    .replace(/^\*+|\*+$/g, '');
}

export interface HeaderMapping {
  /** Canonical field name -> header text exactly as it appears in the file. */
  mapping: Record<string, string>;
  /** Headers in the file that match no field (in file order). */
  unknown: string[];
  /** Fields no header matched (in the order of `aliases`). */
  missing: string[];
}

export function mapHeaders(headers: string[], aliases: Record<string, readonly string[]>): HeaderMapping {
  const fieldByKey = new Map<string, string>();
  for (const [field, names] of Object.entries(aliases)) {
    for (const name of names) {
      const key = normalizeHeader(name);
      const other = fieldByKey.get(key);
      if (other !== undefined && other !== field) {
        // A programming error in the alias table, not a problem with the admin's file.
        throw new Error(`Header alias "${name}" is listed for both "${other}" and "${field}"`);
      }
      fieldByKey.set(key, field);
    }
  }

  // A Map, not an object literal, so field names like "constructor" cannot collide with Object.prototype.
  const mapping = new Map<string, string>();
  const unknown: string[] = [];
  const headerByKey = new Map<string, string>();
  for (const header of headers) {
    if (header.trim() === '') continue;
    const key = normalizeHeader(header);
    const same = headerByKey.get(key);
    if (same !== undefined) {
      throw new TableParseError('TABLE_DUPLICATE_HEADER', `表头“${same}”与“${header}”重复，请删除或重命名其中一列。`, {
        line: 1,
      });
    }
    headerByKey.set(key, header);
    const field = fieldByKey.get(key);
    if (field === undefined) {
      unknown.push(header);
      continue;
    }
    const taken = mapping.get(field);
    if (taken !== undefined) {
      // Two different headers for the same field (e.g. 项目编码 and 事项编码): picking one would
      // silently ignore the other column's data.
      throw new TableParseError(
        'TABLE_DUPLICATE_HEADER',
        `表头“${taken}”与“${header}”表示同一项内容，请只保留其中一列。`,
        { line: 1 },
      );
    }
    mapping.set(field, header);
  }
  const missing = Object.keys(aliases).filter((field) => !mapping.has(field));
  return { mapping: Object.fromEntries(mapping), unknown, missing };
}
