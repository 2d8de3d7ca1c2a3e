/**
 * `npm run audit:verify`: recompute the audit hash chain and name the first broken or missing
 * link. Exit code 0 when intact, 1 when broken.
 */
import { connect, runTool } from './connect.ts';

async function main(): Promise<number> {
  const connection = await connect();
  try {
    const { verifyAuditChain } = await import('../../shared/services/audit.ts');
    console.log(`校验审计链 / verifying the audit chain → ${connection.description}`);
    const report = await verifyAuditChain((n) => process.stdout.write(`  已校验 / checked ${n}\n`));
    if (report.ok) {
      console.log(`审计链完整 / chain intact: ${report.checked} 条事件 / events`);
      return 0;
    }
    console.error(`审计链断裂 / chain BROKEN at event ${report.firstBreak?.seq} (${report.firstBreak?.kind}): ${report.firstBreak?.message}`);
    console.error(`  已校验 / checked ${report.checked} of ${report.headSeq}`);
    return 1;
  } finally {
    await connection.close();
  }
}

runTool(main);
