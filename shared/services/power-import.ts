/**
 * Import of the power list (D2) from a spreadsheet. Every row is validated first — fields, codes
 * unique in the file, agency known, effective date after the version in force — and nothing is
 * written if any row is wrong: the report names each bad row and why. Rows equal to the version
 * in force are skipped, so importing the same file twice changes nothing.
 */
import { canonicalJson } from '../domain/audit.ts';
import { itemCode, POWER_TYPE_LABELS, POWER_TYPES, powerContent } from '../domain/catalog.ts';
import type { CatalogVersion, PowerContent, PowerType } from '../domain/catalog.ts';
import { calendarDate, shanghaiToday } from '../domain/dates.ts';
import { ValidationError } from '../domain/errors.ts';
import type { ErrorDetail } from '../domain/errors.ts';
import { mapHeaders, parseTable, TableParseError } from '../domain/tabular.ts';
import type { TableInput } from '../domain/tabular.ts';
import * as catalogStore from '../store/catalog.ts';
import { allAgencies } from '../store/registry.ts';
import { commit } from '../store/transact.ts';
import type { Write } from '../store/transact.ts';
import type { AuditEventInput } from '../domain/audit.ts';
import { planVersion } from './catalog.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';

export const POWER_IMPORT_COLUMNS = {
  code: ['code', '项目编码', '事项编码', '编码'],
  name: ['name', '事项名称', '职权名称', '名称'],
  type: ['type', '事项类型', '职权类型', '类型'],
  agency: ['agencyId', 'agency', '实施主体', '执法主体', '实施主体编号'],
  handlingDivision: ['handlingDivision', '承办机构', '承办处室'],
  legalBasis: ['legalBasis', '设定依据', '法律依据', '实施依据'],
  timeLimit: ['timeLimit', '办理时限', '时限'],
  flowchart: ['flowchart', '流程图', '办理流程'],
  serviceGuide: ['serviceGuide', '服务指南', '办事指南'],
  remedies: ['remedies', '救济渠道', '救济途径'],
  category: ['category', '执法类别'],
  effectiveFrom: ['effectiveFrom', '生效日期'],
  changeNote: ['changeNote', '变更说明'],
} as const;

const REQUIRED = ['code', 'name', 'type', 'agency', 'handlingDivision', 'legalBasis', 'timeLimit', 'flowchart', 'serviceGuide', 'remedies'] as const;

/** Accept the enum, the full Chinese label, or its short form (许可, 处罚, ...). */
function parseType(raw: string): PowerType | undefined {
  const v = raw.trim();
  const upper = v.toUpperCase();
  if ((POWER_TYPES as readonly string[]).includes(upper)) return upper as PowerType;
  for (const t of POWER_TYPES) {
    const label = POWER_TYPE_LABELS[t];
    if (v === label || v === label.replace(/^行政/, '') || (t === 'OTHER' && (v === '其他' || v === '其它'))) return t;
  }
  return undefined;
}

export interface ImportRowProblem extends ErrorDetail {
  readonly row: number;
  readonly code?: string;
}

export interface ImportReport {
  readonly format: 'csv' | 'xlsx';
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly dryRun: boolean;
  readonly items: readonly { row: number; code: string; action: 'create' | 'update' | 'unchanged'; versionNo: number }[];
}

interface PlannedRow {
  readonly row: number;
  readonly code: string;
  readonly content: PowerContent;
  readonly effectiveFrom?: string;
  readonly changeNote?: string;
  latest?: CatalogVersion<PowerContent>;
  action?: 'create' | 'update' | 'unchanged';
}

/** How many rows go into one transaction: each row is at most 2 writes and 1 audit event. */
const ROWS_PER_TRANSACTION = 25;

async function readTable(input: TableInput) {
  try {
    return await parseTable(input);
  } catch (e) {
    if (e instanceof TableParseError) throw new ValidationError(e.message, e.line ? [{ path: `line ${e.line}`, message: e.message }] : [], e.code);
    throw e;
  }
}

/** Agency ids by id and by full name: an import file may name the agency either way. */
async function agencyLookup(): Promise<Map<string, string>> {
  const byKey = new Map<string, string>();
  for (const a of await allAgencies()) {
    byKey.set(a.id, a.id);
    byKey.set(a.name, a.id);
  }
  return byKey;
}

export interface ImportOptions {
  readonly dryRun?: boolean;
  readonly onProgress?: (event: { phase: 'validate' | 'write'; done: number; total: number }) => void;
}

export async function importPowers(ctx: ActionContext, input: TableInput, options: ImportOptions = {}): Promise<ImportReport> {
  const table = await readTable(input);
  const { mapping, missing } = mapHeaders(table.headers, POWER_IMPORT_COLUMNS);
  const missingRequired = missing.filter((f) => (REQUIRED as readonly string[]).includes(f));
  if (missingRequired.length) {
    const names = missingRequired.map((f) => POWER_IMPORT_COLUMNS[f as keyof typeof POWER_IMPORT_COLUMNS][1]);
    throw new ValidationError(`表头缺少必填列：${names.join('、')}`, names.map((n) => ({ path: 'header', message: `缺少列「${n}」` })), 'IMPORT_INVALID');
  }
  if (table.rows.length === 0) throw new ValidationError('文件中没有数据行', [], 'IMPORT_INVALID');

  const agencies = await agencyLookup();
  const problems: ImportRowProblem[] = [];
  const planned: PlannedRow[] = [];
  const seen = new Map<string, number>();
  const cell = (cells: Record<string, string>, field: keyof typeof POWER_IMPORT_COLUMNS) => {
    const header = mapping[field];
    return header === undefined ? '' : (cells[header] ?? '');
  };

  for (const [index, { rowNumber: row, cells }] of table.rows.entries()) {
    const rowProblems: string[] = [];
    const codeRaw = cell(cells, 'code');
    const code = itemCode.safeParse(codeRaw);
    if (!code.success) rowProblems.push(`项目编码「${codeRaw}」无效：${code.error.issues[0]?.message ?? ''}`);
    else if (seen.has(code.data)) rowProblems.push(`项目编码 ${code.data} 与第 ${seen.get(code.data)} 行重复`);
    else seen.set(code.data, row);

    const typeRaw = cell(cells, 'type');
    const type = parseType(typeRaw);
    if (!type) rowProblems.push(`事项类型「${typeRaw}」无效，应为许可、处罚、强制、检查或其他`);
    const agencyRaw = cell(cells, 'agency');
    const agencyId = agencies.get(agencyRaw);
    if (!agencyId) rowProblems.push(`实施主体「${agencyRaw}」不存在（填写机构编号或全称）`);

    const content = powerContent.safeParse({
      name: cell(cells, 'name'),
      type: type ?? 'OTHER',
      agencyId: agencyId ?? 'unknown',
      handlingDivision: cell(cells, 'handlingDivision'),
      legalBasis: cell(cells, 'legalBasis'),
      timeLimit: cell(cells, 'timeLimit'),
      flowchart: cell(cells, 'flowchart'),
      serviceGuide: cell(cells, 'serviceGuide'),
      remedies: cell(cells, 'remedies'),
      ...(cell(cells, 'category') ? { category: cell(cells, 'category') } : {}),
    });
    if (!content.success) {
      for (const issue of content.error.issues) {
        const field = String(issue.path[0] ?? '');
        const label = POWER_IMPORT_COLUMNS[field as keyof typeof POWER_IMPORT_COLUMNS]?.[1] ?? field;
        rowProblems.push(`「${label}」${cell(cells, field as keyof typeof POWER_IMPORT_COLUMNS) === '' ? '不能为空' : issue.message}`);
      }
    }
    const fromRaw = cell(cells, 'effectiveFrom');
    const from = fromRaw === '' ? undefined : calendarDate.safeParse(fromRaw);
    if (from && !from.success) rowProblems.push(`生效日期「${fromRaw}」无效，应为 YYYY-MM-DD`);

    if (rowProblems.length) {
      problems.push({ row, ...(code.success ? { code: code.data } : {}), path: `row ${row}`, message: rowProblems.join('；') });
    } else if (code.success && content.success) {
      const changeNote = cell(cells, 'changeNote');
      planned.push({
        row,
        code: code.data,
        content: content.data,
        ...(from?.success ? { effectiveFrom: from.data } : {}),
        ...(changeNote ? { changeNote } : {}),
      });
    }
    options.onProgress?.({ phase: 'validate', done: index + 1, total: table.rows.length });
  }

  // Compare with what is in force: new item, new version, or nothing to do.
  const today = shanghaiToday(ctx.now);
  for (let i = 0; i < planned.length; i += 20) {
    await Promise.all(
      planned.slice(i, i + 20).map(async (p) => {
        const versions = await catalogStore.getVersions<PowerContent>('POWER', p.code, true);
        const latest = versions.at(-1);
        if (latest) p.latest = latest;
        if (!latest) p.action = 'create';
        else if (canonicalJson(latest.content) === canonicalJson(p.content) && latest.effectiveTo === undefined) p.action = 'unchanged';
        else {
          p.action = 'update';
          const from = p.effectiveFrom ?? today;
          if (from <= latest.effectiveFrom) {
            problems.push({
              row: p.row,
              code: p.code,
              path: `row ${p.row}`,
              message: `生效日期 ${from} 必须晚于现行版本（第 ${latest.versionNo} 版）的生效日期 ${latest.effectiveFrom}`,
            });
          }
        }
      }),
    );
  }

  if (problems.length) {
    problems.sort((a, b) => a.row - b.row);
    throw new ValidationError(`有 ${problems.length} 行数据不合格，未导入任何数据`, problems, 'IMPORT_INVALID');
  }

  const items = planned.map((p) => ({
    row: p.row,
    code: p.code,
    action: p.action ?? 'create',
    versionNo: p.action === 'unchanged' ? (p.latest?.versionNo ?? 1) : (p.latest?.versionNo ?? 0) + 1,
  }));
  const report: ImportReport = {
    format: table.format,
    total: table.rows.length,
    created: items.filter((i) => i.action === 'create').length,
    updated: items.filter((i) => i.action === 'update').length,
    unchanged: items.filter((i) => i.action === 'unchanged').length,
    dryRun: options.dryRun ?? false,
    items,
  };
  if (options.dryRun) return report;

  const toWrite = planned.filter((p) => p.action !== 'unchanged');
  for (let i = 0; i < toWrite.length; i += ROWS_PER_TRANSACTION) {
    const writes: Write[] = [];
    const events: AuditEventInput[] = [];
    for (const p of toWrite.slice(i, i + ROWS_PER_TRANSACTION)) {
      const plan = planVersion(ctx, 'POWER', p.code, p.latest, p.content, p.effectiveFrom ?? today, p.changeNote ?? '批量导入');
      writes.push(...plan.writes);
      events.push({ ...plan.event, change: { ...plan.event.change, importRow: p.row } });
    }
    await commit(commitContext(ctx), writes, events);
    options.onProgress?.({ phase: 'write', done: Math.min(i + ROWS_PER_TRANSACTION, toWrite.length), total: toWrite.length });
  }
  return report;
}
