/**
 * The annual report's PDF and .xlsx (issue 6, D13, N13): the files a person reads show the JSON's
 * figures. The PDF's text is extracted (pdf.js, through unpdf) and read back row by row, which also
 * proves that the CJK font is embedded with a working ToUnicode map; the .xlsx is read back cell by
 * cell. Expected rows are written out here from the JSON fields, independently of the renderers.
 */
import { describe, expect, it } from 'vitest';
import { readSheet } from 'read-excel-file/node';
import { getDocumentProxy } from 'unpdf';
import { FIGURE_LABELS, type AgencyReport, type AnnualReport, type Percent, type ReportFigures } from '../../shared/domain/annual-report.ts';
import { PENALTY_LABELS, PENALTY_TYPES, type PenaltyType } from '../../shared/domain/decision.ts';
import { fenToYuan, yuanToFen } from '../../shared/domain/money.ts';
import { REMEDY_OUTCOMES, type RemedyOutcome } from '../../shared/domain/remedy.ts';
import { renderReportPdf } from '../../shared/report/render-pdf.ts';
import { renderReportXlsx } from '../../shared/report/render-xlsx.ts';

// ---------------------------------------------------------------------------------------------
// A realistic report: three agencies of a district, figures as counted, the total their sum.

/** What an agency counted; the lists in the order of the fields they fill (see `figures`). */
interface Counts {
  /** applied, accepted, granted, refused, revoked. */
  readonly licensing: readonly number[];
  /** In the order of PENALTY_TYPES. */
  readonly penaltiesByType: readonly number[];
  readonly finesYuan: string;
  readonly confiscatedYuan: string;
  readonly finesCollectedYuan: string;
  /** reconsiderations, litigations, then outcomes in the order of REMEDY_OUTCOMES. */
  readonly remedies: readonly number[];
  readonly coerciveMeasures: number;
  readonly inspections: number;
  readonly otherActs: number;
  /** done, passed, returned. */
  readonly reviews: readonly number[];
  /** due, on time. */
  readonly disclosure: readonly number[];
  /** total, with a valid certificate, trained enough. */
  readonly officers: readonly number[];
  readonly reviewers: number;
}

const percent = (part: number, whole: number): Percent => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);
const MIN_REVIEWER_PERCENT = 5;

function figures(c: Counts): ReportFigures {
  const byType = Object.fromEntries(PENALTY_TYPES.map((t, i) => [t, c.penaltiesByType[i] ?? 0])) as Record<PenaltyType, number>;
  const [applied = 0, accepted = 0, granted = 0, refused = 0, revoked = 0] = c.licensing;
  const [done = 0, passed = 0, returned = 0] = c.reviews;
  const [due = 0, onTime = 0] = c.disclosure;
  const [officers = 0, valid = 0, trained = 0] = c.officers;
  const ratioPercent = percent(c.reviewers, valid);
  const [reconsiderations = 0, litigations = 0, ...byOutcome] = c.remedies;
  const outcomes = Object.fromEntries(REMEDY_OUTCOMES.map((o, i) => [o, byOutcome[i] ?? 0])) as Record<RemedyOutcome, number>;
  const decided = byOutcome.reduce((a, b) => a + b, 0);
  return {
    licensing: { applied, accepted, granted, refused, revoked },
    penalties: {
      total: c.penaltiesByType.reduce((a, b) => a + b, 0),
      byType,
      finesYuan: c.finesYuan,
      confiscatedYuan: c.confiscatedYuan,
      finesCollectedYuan: c.finesCollectedYuan,
    },
    remedies: {
      reconsiderations,
      litigations,
      outcomes,
      decided,
      corrected: decided - outcomes.UPHELD,
      correctedPercent: percent(decided - outcomes.UPHELD, decided),
    },
    coerciveMeasures: c.coerciveMeasures,
    inspections: c.inspections,
    otherActs: c.otherActs,
    reviews: { done, passed, returned },
    disclosure: { due, onTime, onTimePercent: percent(onTime, due) },
    officers: {
      total: officers,
      validCertificates: valid,
      validCertificatesPercent: percent(valid, officers),
      trainedEnough: trained,
      trainedEnoughPercent: percent(trained, officers),
    },
    reviewers: { reviewers: c.reviewers, officers: valid, ratioPercent, belowMinimum: (ratioPercent ?? 0) < MIN_REVIEWER_PERCENT },
  };
}

/** The district's counts: every agency's added up (the report's total). */
function sumCounts(all: readonly Counts[]): Counts {
  const sum = (pick: (c: Counts) => number): number => all.reduce((s, c) => s + pick(c), 0);
  const sumLists = (pick: (c: Counts) => readonly number[]): number[] =>
    (all[0] ? pick(all[0]) : []).map((_, i) => sum((c) => pick(c)[i] ?? 0));
  const sumYuan = (pick: (c: Counts) => string): string => fenToYuan(sum((c) => yuanToFen(pick(c))));
  return {
    licensing: sumLists((c) => c.licensing),
    penaltiesByType: sumLists((c) => c.penaltiesByType),
    finesYuan: sumYuan((c) => c.finesYuan),
    confiscatedYuan: sumYuan((c) => c.confiscatedYuan),
    finesCollectedYuan: sumYuan((c) => c.finesCollectedYuan),
    remedies: sumLists((c) => c.remedies),
    coerciveMeasures: sum((c) => c.coerciveMeasures),
    inspections: sum((c) => c.inspections),
    otherActs: sum((c) => c.otherActs),
    reviews: sumLists((c) => c.reviews),
    disclosure: sumLists((c) => c.disclosure),
    officers: sumLists((c) => c.officers),
    reviewers: sum((c) => c.reviewers),
  };
}

const AGENCIES: readonly (readonly [name: string, counts: Counts])[] = [
  [
    '滨江区市场监督管理局',
    {
      licensing: [1523, 1498, 1432, 66, 7],
      penaltiesByType: [38, 12, 264, 21, 14, 6, 2, 5, 9, 4, 1, 3, 8],
      finesYuan: '1286450.00',
      confiscatedYuan: '53120.50',
      finesCollectedYuan: '1103275.40',
      remedies: [23, 11, 16, 3, 2, 1, 5],
      coerciveMeasures: 84,
      inspections: 2671,
      otherActs: 39,
      reviews: [212, 187, 25],
      disclosure: [356, 349],
      officers: [148, 141, 133],
      reviewers: 9,
    },
  ],
  [
    '滨江区城市管理和综合执法局',
    {
      licensing: [214, 209, 198, 11, 3],
      penaltiesByType: [152, 47, 611, 16, 33, 2, 7, 4, 17, 5, 9, 12, 3],
      finesYuan: '3415200.00',
      confiscatedYuan: '8600.00',
      finesCollectedYuan: '2987310.00',
      remedies: [31, 14, 20, 6, 4, 2, 8],
      coerciveMeasures: 173,
      inspections: 5120,
      otherActs: 64,
      reviews: [418, 371, 47],
      disclosure: [845, 812],
      officers: [236, 229, 201],
      reviewers: 10,
    },
  ],
  [
    '滨江区生态环境分局',
    {
      licensing: [87, 85, 79, 6, 2],
      penaltiesByType: [11, 3, 96, 7, 4, 1, 5, 2, 13, 6, 8, 10, 9],
      finesYuan: '2750800.00',
      confiscatedYuan: '12400.80',
      finesCollectedYuan: '2215640.25',
      remedies: [9, 5, 7, 1, 3, 12, 11],
      coerciveMeasures: 58,
      inspections: 934,
      otherActs: 17,
      reviews: [141, 128, 13],
      disclosure: [168, 161],
      officers: [62, 60, 57],
      reviewers: 4,
    },
  ],
];

function buildReport(agencies: readonly (readonly [string, Counts])[]): AnnualReport {
  return {
    year: 2025,
    version: 2,
    stage: 'DELIVERED',
    bureauName: '滨江区司法局',
    generatedAt: '2026-01-15T02:30:00.000Z',
    penaltySeverityOrder: [...PENALTY_TYPES].reverse(),
    agencies: agencies.map(([agencyName, counts], i): AgencyReport => ({
      agencyId: `AG-${String(i + 1).padStart(3, '0')}`,
      agencyName,
      ...figures(counts),
    })),
    total: figures(sumCounts(agencies.map(([, c]) => c))),
  };
}

/** Twelve agencies: the three above and nine more, their counts scaled so that none repeats. */
function twelveAgencies(): AnnualReport {
  const names = [
    '滨江区交通运输局',
    '滨江区应急管理局',
    '滨江区卫生健康委员会',
    '滨江区文化广电旅游体育局',
    '滨江区农业农村局',
    '滨江区自然资源和规划分局',
    '滨江区人力资源和社会保障局',
    '滨江区住房和城乡建设局',
    '滨江区水利局',
  ];
  const base = AGENCIES[0]?.[1];
  if (!base) throw new Error('fixture');
  const scale = (xs: readonly number[], k: number): number[] => xs.map((x) => x * k + k);
  const more = names.map((name, i): [string, Counts] => {
    const k = i + 2;
    return [
      name,
      {
        ...base,
        licensing: scale(base.licensing, k),
        penaltiesByType: scale(base.penaltiesByType, k),
        finesYuan: fenToYuan(yuanToFen(base.finesYuan) * k + 7),
        reviews: scale(base.reviews, k),
        reviewers: base.reviewers * k,
      },
    ];
  });
  return buildReport([...AGENCIES, ...more]);
}

// ---------------------------------------------------------------------------------------------
// What the files should show, written out per JSON field.

type Figure = number | Percent | { yuan: string };

/** The rows of FIGURE_LABELS with the JSON value each must show. */
function expectedFigures(f: ReportFigures): [label: string, value: Figure][] {
  return [
    [FIGURE_LABELS.licensingApplied, f.licensing.applied],
    [FIGURE_LABELS.licensingAccepted, f.licensing.accepted],
    [FIGURE_LABELS.licensingGranted, f.licensing.granted],
    [FIGURE_LABELS.licensingRefused, f.licensing.refused],
    [FIGURE_LABELS.licensingRevoked, f.licensing.revoked],
    [FIGURE_LABELS.penaltiesTotal, f.penalties.total],
    [FIGURE_LABELS.finesYuan, { yuan: f.penalties.finesYuan }],
    [FIGURE_LABELS.confiscatedYuan, { yuan: f.penalties.confiscatedYuan }],
    [FIGURE_LABELS.finesCollectedYuan, { yuan: f.penalties.finesCollectedYuan }],
    [FIGURE_LABELS.coerciveMeasures, f.coerciveMeasures],
    [FIGURE_LABELS.inspections, f.inspections],
    [FIGURE_LABELS.otherActs, f.otherActs],
    [FIGURE_LABELS.reconsiderations, f.remedies.reconsiderations],
    [FIGURE_LABELS.litigations, f.remedies.litigations],
    [FIGURE_LABELS.remediesDecided, f.remedies.decided],
    [FIGURE_LABELS.outcomeUpheld, f.remedies.outcomes.UPHELD],
    [FIGURE_LABELS.outcomeChanged, f.remedies.outcomes.CHANGED],
    [FIGURE_LABELS.outcomeRevoked, f.remedies.outcomes.REVOKED],
    [FIGURE_LABELS.outcomeConfirmedUnlawful, f.remedies.outcomes.CONFIRMED_UNLAWFUL],
    [FIGURE_LABELS.outcomeRemanded, f.remedies.outcomes.REMANDED],
    [FIGURE_LABELS.remediesCorrectedPercent, f.remedies.correctedPercent],
    [FIGURE_LABELS.reviewsDone, f.reviews.done],
    [FIGURE_LABELS.reviewsPassed, f.reviews.passed],
    [FIGURE_LABELS.reviewsReturned, f.reviews.returned],
    [FIGURE_LABELS.disclosureDue, f.disclosure.due],
    [FIGURE_LABELS.disclosureOnTime, f.disclosure.onTime],
    [FIGURE_LABELS.disclosureOnTimePercent, f.disclosure.onTimePercent],
    [FIGURE_LABELS.officersTotal, f.officers.total],
    [FIGURE_LABELS.officersValid, f.officers.validCertificates],
    [FIGURE_LABELS.officersValidPercent, f.officers.validCertificatesPercent],
    [FIGURE_LABELS.officersTrained, f.officers.trainedEnough],
    [FIGURE_LABELS.officersTrainedPercent, f.officers.trainedEnoughPercent],
    [FIGURE_LABELS.reviewersCount, f.reviewers.reviewers],
    [FIGURE_LABELS.reviewersRatioPercent, f.reviewers.ratioPercent],
  ];
}

const isPercentLabel = (label: string): boolean => label.endsWith('（%）');

/** As printed in the PDF: counts as integers, percentages with one decimal, yuan as 1,234.50. */
function pdfText(label: string, value: Figure): string {
  if (value === null) return '—';
  if (typeof value === 'object') {
    return Number(value.yuan).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  return isPercentLabel(label) ? value.toFixed(1) : String(value);
}

/** As a cell read back from the .xlsx: a number (yuan too), "—" for a percentage with no denominator. */
const xlsxValue = (value: Figure): number | string => (value === null ? '—' : typeof value === 'object' ? Number(value.yuan) : value);

const columnsOf = (report: AnnualReport): ReportFigures[] => [...report.agencies, report.total];

// ---------------------------------------------------------------------------------------------
// Reading the PDF back.

interface PdfContent {
  readonly pages: number;
  /** All text in content order, without spaces: a wrapped header still reads as one name. */
  readonly text: string;
  /** Each printed line (same page, same baseline), its non-blank pieces from left to right. */
  readonly lines: readonly (readonly string[])[];
}

async function readPdf(bytes: Buffer): Promise<PdfContent> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const lines: string[][] = [];
  let text = '';
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    const pieces = content.items
      .flatMap((item) => ('str' in item && item.str.trim() !== '' ? [{ str: item.str, x: item.transform[4] ?? 0, y: item.transform[5] ?? 0 }] : []));
    text += pieces.map((p) => p.str).join('').replace(/\s+/g, '');
    const byBaseline = new Map<number, { str: string; x: number }[]>();
    for (const p of pieces) {
      const key = Math.round(p.y * 2) / 2;
      byBaseline.set(key, [...(byBaseline.get(key) ?? []), p]);
    }
    for (const key of [...byBaseline.keys()].sort((a, b) => b - a)) {
      lines.push((byBaseline.get(key) ?? []).sort((a, b) => a.x - b.x).map((p) => p.str));
    }
  }
  return { pages: pdf.numPages, text, lines };
}

/** Text as in PdfContent.text: without spaces. */
const squash = (s: string): string => s.replace(/\s+/g, '');

/** The printed lines whose first cell is `label`, in document order. */
const linesLabelled = (pdf: PdfContent, label: string): (readonly string[])[] => pdf.lines.filter((l) => l[0] === label);

// ---------------------------------------------------------------------------------------------

describe('the annual report fixture', () => {
  it('has nonzero figures that differ along every row and every column of each table', () => {
    const report = buildReport(AGENCIES);
    const tables = [
      columnsOf(report).map((f) => expectedFigures(f).map(([label, v]) => pdfText(label, v))),
      columnsOf(report).map((f) => [...PENALTY_TYPES.map((t) => String(f.penalties.byType[t])), String(f.penalties.total)]),
    ];
    for (const columns of tables) {
      for (const column of columns) {
        expect(new Set(column).size).toBe(column.length);
        expect(column.filter((v) => Number(v.replace(/,/g, '')) === 0 || v === '—')).toEqual([]);
      }
      const rowCount = columns[0]?.length ?? 0;
      for (let r = 0; r < rowCount; r++) {
        const row = columns.map((c) => c[r]);
        expect(new Set(row).size).toBe(row.length);
      }
    }
  });
});

describe('renderReportPdf', () => {
  it('sets the title in Chinese, embeds a font subset, and shows every figure in its row and column', async () => {
    const report = buildReport(AGENCIES);

    const bytes = await renderReportPdf(report);
    const pdf = await readPdf(bytes);

    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Extracted text equals the Chinese title only if the font's glyphs map back to Unicode.
    expect(pdf.lines[0]).toEqual(['滨江区司法局 2025 年度行政执法统计年报']);
    expect(pdf.lines[1]?.join('')).toBe('第 2 版 · 统计期间 2025-01-01 至 2025-12-31 · 生成时间 2026-01-15 10:30（北京时间）');
    // Only a subset of Noto Sans SC (a six-letter tag before its name), not the 10.6 MB font.
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    expect(bytes.length).toBeLessThan(300_000);

    for (const label of Object.values(FIGURE_LABELS)) expect(pdf.text).toContain(squash(label));
    for (const label of Object.values(PENALTY_LABELS)) expect(pdf.text).toContain(squash(label));
    for (const agency of report.agencies) expect(pdf.text).toContain(agency.agencyName);

    const columns = columnsOf(report);
    for (const [index, [label, total]] of expectedFigures(report.total).entries()) {
      const perColumn = columns.map((f) => {
        const [, value] = expectedFigures(f)[index] ?? [label, null];
        return pdfText(label, value);
      });
      // 总表: the label and the total; 分机构统计: the label, each agency, then the total.
      expect(linesLabelled(pdf, label)).toEqual([
        [label, pdfText(label, total)],
        [label, ...perColumn],
      ]);
    }
    for (const type of PENALTY_TYPES) {
      expect(linesLabelled(pdf, PENALTY_LABELS[type])).toEqual([
        [PENALTY_LABELS[type], ...columns.map((f) => String(f.penalties.byType[type]))],
      ]);
    }
    // 审核人员比例 below 5 %: 城市管理 (10 of 229 = 4.4 %); the others and the total are above.
    expect(linesLabelled(pdf, '审核人员比例低于最低要求')).toEqual([
      ['审核人员比例低于最低要求', '否'],
      ['审核人员比例低于最低要求', '否', '是', '否', '否'],
    ]);
    expect(pdf.lines.at(-1)).toEqual([`第 ${pdf.pages} 页 / 共 ${pdf.pages} 页`]);
  });

  it('fits twelve agencies to the page width in column groups, with every agency and figure present', async () => {
    const report = twelveAgencies();

    const pdf = await readPdf(await renderReportPdf(report));

    for (const agency of report.agencies) expect(pdf.text).toContain(agency.agencyName);
    const columns = columnsOf(report);
    for (const [index, [label, total]] of expectedFigures(report.total).entries()) {
      const [summary, ...groups] = linesLabelled(pdf, label);
      expect(summary).toEqual([label, pdfText(label, total)]);
      // The per-agency table is cut into groups of columns; read side by side they are whole.
      expect(groups.length).toBeGreaterThan(1);
      expect(groups.flatMap((line) => line.slice(1))).toEqual(
        columns.map((f) => pdfText(label, (expectedFigures(f)[index] ?? [label, null])[1])),
      );
    }
    for (let n = 1; n <= pdf.pages; n++) expect(pdf.text).toContain(`第${n}页/共${pdf.pages}页`);
  });
});

describe('renderReportXlsx', () => {
  it('writes the total, the agencies and the penalties by type as number cells equal to the JSON', async () => {
    const report = buildReport(AGENCIES);
    const names = report.agencies.map((a) => a.agencyName);
    const columns = columnsOf(report);

    const bytes = await renderReportXlsx(report);
    const [total, agencies, penalties] = await Promise.all(
      ['总表', '分机构', '行政处罚分类'].map((sheet) => readSheet(bytes, sheet)),
    );

    expect(total?.[0]?.[0]).toBe('滨江区司法局 2025 年度行政执法统计年报');
    expect(total?.slice(2)).toEqual([
      ['项目', '合计'],
      ...expectedFigures(report.total).map(([label, value]) => [label, xlsxValue(value)]),
      ['审核人员比例低于最低要求', '否'],
    ]);
    expect(agencies?.slice(2)).toEqual([
      ['项目', ...names, '合计'],
      ...expectedFigures(report.total).map(([label], index) => [
        label,
        ...columns.map((f) => xlsxValue((expectedFigures(f)[index] ?? [label, null])[1])),
      ]),
      ['审核人员比例低于最低要求', '否', '是', '否', '否'],
    ]);
    expect(penalties?.slice(2)).toEqual([
      ['处罚类型', ...names, '合计'],
      ...PENALTY_TYPES.map((type) => [PENALTY_LABELS[type], ...columns.map((f) => f.penalties.byType[type])]),
      ['合计', ...columns.map((f) => f.penalties.total)],
    ]);
    // Numbers, not text: yuan and percentages included.
    const figureCells = (agencies ?? []).slice(3, 3 + 24).flatMap((row) => row.slice(1));
    expect(figureCells.every((cell) => typeof cell === 'number')).toBe(true);
  });

  it('writes a percentage with nothing to divide by as "—"', async () => {
    const report = buildReport(AGENCIES);
    const [first, ...rest] = report.agencies;
    if (!first) throw new Error('fixture');
    const withoutDue: AnnualReport = {
      ...report,
      agencies: [{ ...first, disclosure: { due: 0, onTime: 0, onTimePercent: null } }, ...rest],
    };

    const agencies = await readSheet(await renderReportXlsx(withoutDue), '分机构');

    const row = agencies.find((r) => r[0] === FIGURE_LABELS.disclosureOnTimePercent);
    expect(row?.[1]).toBe('—');
    expect(typeof row?.[2]).toBe('number');
  });
});
