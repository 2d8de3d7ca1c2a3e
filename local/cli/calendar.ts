/**
 * `npm run calendar -- show YEAR` and `npm run calendar -- import FILE.json [--reason 原因]`: read or
 * enter a year's official holiday arrangement (D7, N4; issue 11) through the same route the admin
 * console uses — `GET|PUT /calendar/{year}` of the catalog function, invoked in this process with the
 * same parsing, permission, validation, versioning, audit event and recomputation of provisional
 * deadlines — against a running `npm start`, the local data dir, or AWS (see connect.ts).
 *
 * FILE is the PUT body without `version` (read first), e.g. 2027.json:
 *   { "year": 2027,
 *     "notice": { "title": "国务院办公厅关于2027年部分节假日安排的通知", "documentNo": "国办发明电〔2026〕N号" },
 *     "festivals": [ { "name": "元旦", "off": ["2027-01-01", "2027-01-01"], "work": [] }, ... ] }
 * The year comes from --year, the file's `year`, or the file name. Exit 0 when done, 1 when the route
 * refuses (its code and each field are printed), 2 on usage errors.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { DaySide, PublicCalendarYear } from '../../shared/domain/calendar.ts';
import { functions } from '../../shared/manifest.ts';
import { connect, runTool } from './connect.ts';
import { recomputeProvisionalDeadlines } from '../../shared/services/provisional.ts';

const USAGE = `用法 / usage:
  npm run calendar -- show YEAR [--json]
  npm run calendar -- import FILE.json [--year YEAR] [--reason 原因] [--actor 姓名] [--json]
  --reason  修改已录入的年份，或录入程序包已有的年份时必填 / required to change an entered year or to enter a packaged one`;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One request to the catalog function's `/calendar/{year}` route, as API Gateway would deliver it. */
async function callRoute(method: 'GET' | 'PUT', year: string, actor: string, body?: unknown): Promise<Answer> {
  const { handler } = await import('../../functions/catalog/handler.ts');
  const { buildContext } = await import('../server.ts');
  const spec = functions.find((f) => f.id === 'catalog')!;
  const requestId = randomUUID();
  // The operator acts as an administrator, as with the other tools (import:powers): their AWS
  // credentials or local data dir already give them the tables; the audit event names them.
  const claims = { sub: `cli:${actor}`, name: actor, 'cognito:groups': 'admin', token_use: 'id' };
  const event = {
    resource: '/calendar/{year}',
    path: `/calendar/${year}`,
    httpMethod: method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { year },
    stageVariables: null,
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId, httpMethod: method, path: `/calendar/${year}`, resourcePath: '/calendar/{year}', stage: 'cli', authorizer: { claims } },
  } as unknown as APIGatewayProxyEvent;
  const result = await handler(event, buildContext(spec));
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
}

function printYear(view: Record<string, unknown>): void {
  const v = view as {
    year: number;
    source: string;
    version: number;
    note: string;
    notice: { title: string; documentNo: string } | null;
    festivals: PublicCalendarYear['festivals'];
    differences: PublicCalendarYear['differences'];
    history?: { version: number; enteredAt: string; enteredBy: string; reason: string | null }[];
    recount?: string;
  };
  const side = (s: DaySide) => (s.working ? `上班${s.reason ? `（${s.reason}）` : ''}` : `休息（${s.reason ?? ''}）`);
  console.log(`${v.year} 年 · 来源 / source: ${v.source}${v.version > 0 ? ` · 第 ${v.version} 版 / version ${v.version}` : ''}`);
  console.log(`  ${v.note}`);
  if (v.notice) console.log(`  通知 / notice: ${v.notice.title}（${v.notice.documentNo}）`);
  for (const f of v.festivals) {
    const off = f.off[0] === f.off[1] ? f.off[0] : `${f.off[0]} 至 ${f.off[1]}`;
    console.log(`  ${f.name}：${off} 放假${f.work.length > 0 ? `；${f.work.join('、')} 调休上班` : ''}`);
  }
  if (v.differences.length > 0) {
    console.log(`  与程序包不同 / differs from the package on ${v.differences.length} day(s):`);
    for (const d of v.differences) console.log(`    ${d.date}：程序包 ${side(d.package)} → 录入 ${side(d.entered)}`);
  }
  for (const h of v.history ?? []) console.log(`  v${h.version} ${h.enteredAt} ${h.enteredBy}${h.reason ? `：${h.reason}` : ''}`);
}

function printRefusal(answer: Answer): void {
  const error = (answer.body.error ?? {}) as { code?: string; message?: string; details?: { path?: string; message: string }[] };
  console.error(`被拒绝 / refused (${answer.status} ${error.code ?? ''}): ${error.message ?? ''}`);
  for (const d of error.details ?? []) console.error(`  ${d.path ?? ''}: ${d.message}`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      year: { type: 'string' },
      reason: { type: 'string' },
      actor: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, target] = positionals;
  if (values.help || positionals.length !== 2 || (command !== 'show' && command !== 'import')) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const actor = values.actor ?? process.env.USER ?? 'cli';

  let year = command === 'show' ? target! : values.year;
  let file: Record<string, unknown> = {};
  if (command === 'import') {
    try {
      const parsed = JSON.parse(await readFile(target!, 'utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('不是 JSON 对象 / not a JSON object');
      file = parsed as Record<string, unknown>;
    } catch (e) {
      console.error(`无法读取 ${target}：${e instanceof Error ? e.message : String(e)}`);
      return 2;
    }
    year ??= file.year === undefined ? /(\d{4})/.exec(basename(target!))?.[1] : String(file.year);
  }
  if (year === undefined || !/^\d{4}$/.test(year)) {
    console.error(`需要四位年份 / need a four-digit year (--year, the file's "year", or its name)\n${USAGE}`);
    return 2;
  }

  const connection = await connect();
  try {
    console.log(`${command} ${year} → ${connection.description}`);
    const current = await callRoute('GET', year, actor);
    if (current.status !== 200) {
      printRefusal(current);
      return 1;
    }
    if (command === 'show') {
      if (values.json) console.log(JSON.stringify(current.body, null, 2));
      else printYear(current.body);
      return 0;
    }
    // The file is the body; the version is the one just read (optimistic lock), unless the file says.
    const { year: _year, ...rest } = file;
    const body = { version: current.body.version, ...rest, ...(values.reason !== undefined ? { reason: values.reason } : {}) };
    const answer = await callRoute('PUT', year, actor, body);
    if (answer.status >= 300) {
      printRefusal(answer);
      return 1;
    }
    // The tool has the tables the jobs function has: recount now rather than wait for the hourly job.
    const recount = await recomputeProvisionalDeadlines({ year: Number(year) });
    if (values.json) console.log(JSON.stringify({ ...answer.body, recounted: recount }, null, 2));
    else {
      printYear(answer.body);
      console.log(`  暂定期限重新计算 / provisional deadlines recounted: 读取 ${recount.read}，改变 ${recount.changed}，仍暂定 ${recount.remaining}`);
    }
    console.log('已录入 / entered');
    return 0;
  } finally {
    await connection.close();
  }
}

runTool(main);
