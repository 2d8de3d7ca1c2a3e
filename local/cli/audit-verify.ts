/**
 * `npm run audit:verify`: recompute every audit chain (s00…s15, and the legacy `main` if present) and
 * name the first broken or missing link of each, as chain + seq. Exit code 0 when intact, 1 when broken.
 */
import { connect, runTool } from './connect.ts';

async function main(): Promise<number> {
  const connection = await connect();
  try {
    const { verifyAuditChain } = await import('../../shared/services/audit.ts');
    console.log(`校验审计链 / verifying the audit chains → ${connection.description}`);
    const report = await verifyAuditChain((n) => process.stdout.write(`  已校验 / checked ${n}\n`));
    for (const c of report.chains) {
      const state = c.firstBreak ? `断裂 / BROKEN at ${c.chain}#${c.firstBreak.seq} (${c.firstBreak.kind}): ${c.firstBreak.message}` : '完整 / intact';
      (c.ok ? console.log : console.error)(`  ${c.chain}: ${c.checked}/${c.headSeq} 条 / events — ${state}`);
    }
    if (report.ok) {
      console.log(`审计链完整 / chain intact: ${report.checked} 条事件 / events in ${report.chains.length} chains`);
      return 0;
    }
    const first = report.firstBreak;
    console.error(`审计链断裂 / chain BROKEN at ${first?.chain}#${first?.seq} (${first?.kind}): ${first?.message}`);
    console.error(`  已校验 / checked ${report.checked} of ${report.headSeq}`);
    return 1;
  } finally {
    await connection.close();
  }
}

runTool(main);
