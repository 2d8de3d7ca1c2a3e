/**
 * `npm run import:powers -- FILE [--dry-run] [--actor NAME]`: import the power list (D2) from an
 * .xlsx or .csv file. Every row is validated first; nothing is imported if any row is wrong.
 * Exit code 0 on success, 1 when the file is refused (the bad rows are listed), 2 on usage errors.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/domain/errors.ts';
import { connect, runTool } from './connect.ts';

const USAGE = '用法 / usage: npm run import:powers -- FILE.xlsx|FILE.csv [--dry-run] [--actor 姓名]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, actor: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const file = positionals[0] as string;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    console.error(`无法读取文件 ${file}：${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return 2;
  }

  const connection = await connect();
  try {
    // Imported after connect(): clients read their endpoints from the environment it sets.
    const { importPowers } = await import('../../shared/services/power-import.ts');
    const { newRequestId } = await import('../../shared/store/transact.ts');
    const actorName = values.actor ?? process.env.USER ?? 'cli';
    console.log(`导入 ${basename(file)} → ${connection.description}${values['dry-run'] ? '（仅校验 / dry run）' : ''}`);
    let lastShown = -1;
    const report = await importPowers(
      { identity: { sub: `cli:${actorName}`, name: actorName, groups: ['admin'] }, requestId: newRequestId() },
      { bytes, fileName: basename(file) },
      {
        dryRun: values['dry-run'],
        onProgress: ({ phase, done, total }) => {
          const pct = Math.floor((done / Math.max(total, 1)) * 100);
          if (pct !== lastShown && (pct % 10 === 0 || done === total)) {
            lastShown = pct;
            process.stdout.write(`  ${phase === 'validate' ? '校验 / validating' : '写入 / writing'} ${done}/${total} (${pct}%)\n`);
          }
          if (done === total) lastShown = -1;
        },
      },
    );
    console.log(
      `完成 / done: 共 ${report.total} 行；新建 ${report.created}，新版本 ${report.updated}，未变化 ${report.unchanged}${report.dryRun ? '（未写入 / nothing written）' : ''}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      console.error(`导入被拒绝 / import refused [${e.code}]: ${e.message}`);
      for (const d of e.details) console.error(`  ${d.path ?? ''}: ${d.message}`);
      return 1;
    }
    throw e;
  } finally {
    await connection.close();
  }
}

runTool(main);
