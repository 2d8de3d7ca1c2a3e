import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import writeXlsxFile from 'write-excel-file/node';
import {
  MAX_TABLE_BYTES,
  MAX_TABLE_ROWS,
  TableParseError,
  formatNumber,
  mapHeaders,
  parseTable,
  type ParsedTable,
} from '../../shared/domain/tabular.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const withBom = (s: string): Uint8Array => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(s)]);

/** Runs `fn`, expecting a TableParseError, and returns it for further assertions. */
async function parseError(fn: () => Promise<unknown>): Promise<TableParseError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TableParseError);
    return e as TableParseError;
  }
  throw new Error('expected a TableParseError');
}

describe('parseTable: CSV', () => {
  it('reads quotes, doubled quotes, embedded commas/newlines, BOM and CRLF; numbers rows like Excel', async () => {
    const csv =
      '项目编码,事项名称,备注\r\n' +
      'XK-001,"食品经营许可, 含备案",普通\r\n' +
      '\r\n' + // empty row 3: skipped, but still counted
      'XK-002,"他说""可以""","第一行\r\n第二行"\r\n' + // row 4 spans two text lines
      ',,\r\n' + // row 5: only empty cells
      '  XK-003  ,  行政处罚\r\n'; // row 6: short row, untrimmed
    const table = await parseTable({ bytes: withBom(csv), fileName: '清单.csv' });
    expect(table).toEqual<ParsedTable>({
      format: 'csv',
      headers: ['项目编码', '事项名称', '备注'],
      rows: [
        { rowNumber: 2, cells: { 项目编码: 'XK-001', 事项名称: '食品经营许可, 含备案', 备注: '普通' } },
        { rowNumber: 4, cells: { 项目编码: 'XK-002', 事项名称: '他说"可以"', 备注: '第一行\r\n第二行' } },
        { rowNumber: 6, cells: { 项目编码: 'XK-003', 事项名称: '行政处罚', 备注: '' } },
      ],
    });
  });

  it('accepts LF line endings, no BOM and no trailing newline', async () => {
    const table = await parseTable({ bytes: utf8('a,b\n1,2\n"x\ny",3') });
    expect(table.headers).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      { rowNumber: 2, cells: { a: '1', b: '2' } },
      { rowNumber: 3, cells: { a: 'x\ny', b: '3' } },
    ]);
  });

  it('decodes GBK/GB18030 bytes (what Chinese Excel on Windows saves as CSV)', async () => {
    // "编码,名称\r\nA1,行政许可\r\nB2,行政处罚\r\n" in GBK, written out byte by byte.
    const bytes = new Uint8Array([
      0xb1, 0xe0, 0xc2, 0xeb, 0x2c, 0xc3, 0xfb, 0xb3, 0xc6, 0x0d, 0x0a, // 编码,名称\r\n
      0x41, 0x31, 0x2c, 0xd0, 0xd0, 0xd5, 0xfe, 0xd0, 0xed, 0xbf, 0xc9, 0x0d, 0x0a, // A1,行政许可\r\n
      0x42, 0x32, 0x2c, 0xd0, 0xd0, 0xd5, 0xfe, 0xb4, 0xa6, 0xb7, 0xa3, 0x0d, 0x0a, // B2,行政处罚\r\n
    ]);
    // Sanity: these bytes really are not UTF-8, so the fallback is what is being tested.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const table = await parseTable({ bytes, fileName: 'powers.csv', contentType: 'text/csv' });
    expect(table.headers).toEqual(['编码', '名称']);
    expect(table.rows).toEqual([
      { rowNumber: 2, cells: { 编码: 'A1', 名称: '行政许可' } },
      { rowNumber: 3, cells: { 编码: 'B2', 名称: '行政处罚' } },
    ]);
  });

  it('reports an unterminated quote with the text line where it opened', async () => {
    const csv = 'code,name\r\nA1,ok\r\nA2,"never closed\r\nA3,more\r\n';
    const err = await parseError(() => parseTable({ bytes: utf8(csv) }));
    expect(err.code).toBe('TABLE_UNREADABLE');
    expect(err.line).toBe(3);
    expect(err.message).toContain('第 3 行');
    expect(err.message).toMatch(/引号/);
  });

  it('rejects duplicate headers in the file', async () => {
    const err = await parseError(() => parseTable({ bytes: utf8('编码,名称, 编码 \r\n1,2,3\r\n') }));
    expect(err.code).toBe('TABLE_DUPLICATE_HEADER');
    expect(err.message).toContain('编码');
  });

  it('rejects an empty file and an empty header row', async () => {
    expect((await parseError(() => parseTable({ bytes: new Uint8Array() }))).code).toBe('TABLE_UNREADABLE');
    const err = await parseError(() => parseTable({ bytes: utf8(',,\r\na,b,c\r\n') }));
    expect(err.code).toBe('TABLE_UNREADABLE');
    expect(err.message).toContain('表头');
  });

  it('ignores columns with a blank header but keeps rows that only have data there', async () => {
    const table = await parseTable({ bytes: utf8('a,,b\r\n1,x,2\r\n,y,\r\n') });
    expect(table.headers).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      { rowNumber: 2, cells: { a: '1', b: '2' } },
      { rowNumber: 3, cells: { a: '', b: '' } },
    ]);
  });

  it('keeps a "__proto__" header as an ordinary key (found by the property below)', async () => {
    const table = await parseTable({ bytes: utf8('__proto__,constructor\r\nx,y\r\n') });
    expect(table.rows[0]?.cells).toEqual({ ['__proto__']: 'x', constructor: 'y' });
    expect(Object.keys(table.rows[0]?.cells ?? {})).toEqual(['__proto__', 'constructor']);
  });

  it('round-trips arbitrary tables serialised as RFC 4180 CSV (property)', async () => {
    const tricky = fc.string({ unit: fc.constantFrom(',', '"', '\r', '\n', ' ', 'a', 'Z', '许', '（', '\u3000') });
    const cell = fc.oneof(tricky, fc.string({ unit: 'grapheme' }));
    const table = fc
      .uniqueArray(
        cell.filter((h) => h.trim() !== ''),
        { minLength: 1, maxLength: 5, selector: (h) => h.trim() },
      )
      .chain((headers) =>
        fc.record({
          headers: fc.constant(headers),
          rows: fc.array(fc.array(cell, { minLength: headers.length, maxLength: headers.length }), { maxLength: 8 }),
          eol: fc.constantFrom('\r\n', '\n'),
          quoteAll: fc.boolean(),
          bom: fc.boolean(),
          trailingEol: fc.boolean(),
        }),
      );

    await fc.assert(
      fc.asyncProperty(table, async ({ headers, rows, eol, quoteAll, bom, trailingEol }) => {
        const quote = (v: string) =>
          quoteAll || /[",\r\n]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v;
        const text = [headers, ...rows].map((r) => r.map(quote).join(',')).join(eol) + (trailingEol ? eol : '');
        const parsed = await parseTable({ bytes: bom ? withBom(text) : utf8(text) });

        const keys = headers.map((h) => h.trim());
        const expected = rows
          .map((r, i) => ({
            rowNumber: i + 2,
            cells: Object.fromEntries(keys.map((k, j) => [k, (r[j] ?? '').trim()])),
          }))
          .filter((r) => Object.values(r.cells).some((v) => v !== ''));
        expect(parsed.format).toBe('csv');
        expect(parsed.headers).toEqual(keys);
        expect(parsed.rows).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseTable: XLSX', () => {
  async function sampleWorkbook(): Promise<Buffer> {
    return writeXlsxFile([
      ['项目编码', '事项名称（许可）', '数量', '生效日期', '收费'],
      ['XK-001', '食品经营许可', 3, { value: new Date(Date.UTC(2024, 2, 5)), format: 'yyyy-mm-dd' }, true],
      [null, null, null, null, null], // row 3: empty
      [' XK-002 ', '  行政处罚  ', 0.1 + 0.2, null, null],
      [],
      ['XK-003', '特种设备检验', 1234567.5, { value: new Date(Date.UTC(1999, 11, 31)), format: 'yyyy"年"m"月"d"日"' }, false],
    ]).toBuffer();
  }

  const expectedRows = [
    {
      rowNumber: 2,
      cells: { 项目编码: 'XK-001', '事项名称（许可）': '食品经营许可', 数量: '3', 生效日期: '2024-03-05', 收费: 'TRUE' },
    },
    {
      rowNumber: 4,
      cells: { 项目编码: 'XK-002', '事项名称（许可）': '行政处罚', 数量: '0.3', 生效日期: '', 收费: '' },
    },
    {
      rowNumber: 6,
      cells: {
        项目编码: 'XK-003',
        '事项名称（许可）': '特种设备检验',
        数量: '1234567.5',
        生效日期: '1999-12-31',
        收费: 'FALSE',
      },
    },
  ];

  it('reads the first sheet: Chinese text, numbers, dates, and row numbers as Excel shows them', async () => {
    const bytes = await sampleWorkbook();
    const table = await parseTable({ bytes, fileName: '职权事项清单.xlsx' });
    expect(table.format).toBe('xlsx');
    expect(table.headers).toEqual(['项目编码', '事项名称（许可）', '数量', '生效日期', '收费']);
    expect(table.rows).toEqual(expectedRows);
  });

  it('reads from a Buffer that is a view into a larger pool (as Buffer.from(base64) often is)', async () => {
    const xlsx = await sampleWorkbook();
    // Build the pool explicitly so the surrounding bytes are known junk, not whatever Node's pool held.
    const backing = new Uint8Array(xlsx.length + 32).fill(0x20);
    backing.set(xlsx, 16);
    const view = Buffer.from(backing.buffer, 16, xlsx.length);
    expect(view.byteOffset).toBe(16);
    const table = await parseTable({ bytes: view, fileName: 'upload.bin', contentType: 'application/octet-stream' });
    expect(table.rows).toEqual(expectedRows);
  });

  it('detects xlsx by magic bytes even when the name says .csv', async () => {
    const table = await parseTable({ bytes: await sampleWorkbook(), fileName: 'mislabelled.csv', contentType: 'text/csv' });
    expect(table.format).toBe('xlsx');
  });

  it('rejects a file claiming to be .xlsx that is not a ZIP, a ZIP that is not a workbook, and legacy .xls', async () => {
    const notZip = await parseError(() => parseTable({ bytes: utf8('a,b\r\n1,2\r\n'), fileName: 'x.xlsx' }));
    expect(notZip.code).toBe('TABLE_UNREADABLE');
    const byType = await parseError(() =>
      parseTable({
        bytes: utf8('a,b\r\n'),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }),
    );
    expect(byType.code).toBe('TABLE_UNREADABLE');

    const junkZip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...utf8('definitely not a zip archive')]);
    const zipErr = await parseError(() => parseTable({ bytes: junkZip }));
    expect(zipErr.code).toBe('TABLE_UNREADABLE');
    expect(zipErr.message).toMatch(/Excel/);

    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const xlsErr = await parseError(() => parseTable({ bytes: xls, fileName: 'old.xls' }));
    expect(xlsErr.code).toBe('TABLE_UNREADABLE');
    expect(xlsErr.message).toContain('.xls');
  });

  it('rejects duplicate headers in a workbook', async () => {
    const bytes = await writeXlsxFile([
      ['编码', '名称', '编码'],
      ['1', '2', '3'],
    ]).toBuffer();
    const err = await parseError(() => parseTable({ bytes }));
    expect(err.code).toBe('TABLE_DUPLICATE_HEADER');
    expect(err.message).toContain('A');
    expect(err.message).toContain('C');
  });
});

describe('parseTable: limits', () => {
  it('rejects input over 5 MB before parsing', async () => {
    const err = await parseError(() => parseTable({ bytes: new Uint8Array(MAX_TABLE_BYTES + 1) }));
    expect(err.code).toBe('TABLE_TOO_LARGE');
    expect(err.message).toContain('5 MB');
  });

  it('accepts exactly 10,000 data rows and rejects 10,001 (empty rows do not count)', async () => {
    const csv = (n: number) => 'code\r\n\r\n' + Array.from({ length: n }, (_, i) => `C${i}`).join('\r\n') + '\r\n\r\n';
    const ok = await parseTable({ bytes: utf8(csv(MAX_TABLE_ROWS)) });
    expect(ok.rows).toHaveLength(MAX_TABLE_ROWS);
    expect(ok.rows.at(-1)?.rowNumber).toBe(MAX_TABLE_ROWS + 2);

    const err = await parseError(() => parseTable({ bytes: utf8(csv(MAX_TABLE_ROWS + 1)) }));
    expect(err.code).toBe('TABLE_TOO_LARGE');
    expect(err.message).toContain('10000');
  });

  it('applies the row limit to workbooks too', async () => {
    const data = [['code'], ...Array.from({ length: MAX_TABLE_ROWS + 1 }, (_, i) => [`C${i}`])];
    const err = await parseError(async () => parseTable({ bytes: await writeXlsxFile(data).toBuffer() }));
    expect(err.code).toBe('TABLE_TOO_LARGE');
  });
});

describe('formatNumber', () => {
  it('writes plain decimals at Excel precision', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(-3.25)).toBe('-3.25');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(330100000000000000)).toBe('330100000000000000');
    // Excel keeps 15 significant digits, so a 17-digit number shows (and is stored) rounded.
    expect(formatNumber(12345678901234567)).toBe('12345678901234600');
    expect(formatNumber(Number.NaN)).toBe('');
  });
});

describe('mapHeaders', () => {
  const aliases = {
    code: ['code', '项目编码', '事项编码'],
    name: ['事项名称', '名称'],
    basis: ['设定依据(法律法规)', '依据'],
    kind: ['事项类型'],
  } as const;

  it('maps Chinese aliases ignoring case, whitespace, full-width parentheses and required-markers', () => {
    const result = mapHeaders(['CODE', ' 事项 名称 ', '设定依据（法律法规）', '*备注'], aliases);
    expect(result.mapping).toEqual({ code: 'CODE', name: ' 事项 名称 ', basis: '设定依据（法律法规）' });
    expect(result.unknown).toEqual(['*备注']);
    expect(result.missing).toEqual(['kind']);
  });

  it('matches full-width letters and ideographic spaces, and "*" required markers', () => {
    const result = mapHeaders(['＊事项编码', '事项\u3000类型', 'ＣＯＤＥ２'], aliases);
    expect(result.mapping).toEqual({ code: '＊事项编码', kind: '事项\u3000类型' });
    expect(result.unknown).toEqual(['ＣＯＤＥ２']);
    expect(result.missing).toEqual(['name', 'basis']);
  });

  it('rejects headers that are the same after normalisation', () => {
    expect(() => mapHeaders(['依据(一)', '依据（一）'], aliases)).toThrow(TableParseError);
  });

  it('rejects two different headers for the same field', () => {
    try {
      mapHeaders(['项目编码', '事项编码'], aliases);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TableParseError);
      expect((e as TableParseError).code).toBe('TABLE_DUPLICATE_HEADER');
      expect((e as TableParseError).message).toContain('项目编码');
    }
  });

  it('handles field names that shadow Object.prototype members', () => {
    expect(mapHeaders(['构造', 'x'], { constructor: ['构造'], toString: ['文本'] })).toEqual({
      mapping: { constructor: '构造' },
      unknown: ['x'],
      missing: ['toString'],
    });
  });

  it('skips blank headers', () => {
    expect(mapHeaders(['', '名称', '  '], aliases)).toEqual({
      mapping: { name: '名称' },
      unknown: [],
      missing: ['code', 'basis', 'kind'],
    });
  });
});
