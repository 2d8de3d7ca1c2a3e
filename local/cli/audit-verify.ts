/**
 * `npm run audit:verify`: recompute every audit chain (s00…s15, and the legacy `main` if present) and
 * name the first broken or missing link of each, as chain + seq; then check the signed checkpoints
 * (verifyCheckpoints). Exit code 0 when intact, 1 when broken.
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
    // The signed checkpoints (issue 12): locked copies, signatures, links, and the trees recomputed from
    // the events against the signed roots (shared/services/checkpoints.ts).
    const { verifyCheckpoints } = await import('../../shared/services/checkpoints.ts');
    const checkpoints = await verifyCheckpoints();
    for (const c of checkpoints.chains) {
      const state = c.firstProblem ? `不符 / FAILED at ${c.chain} tree size ${c.firstProblem.treeSize} (${c.firstProblem.kind}): ${c.firstProblem.message}` : '一致 / consistent';
      (c.ok ? console.log : console.error)(`  ${c.chain}: ${c.checkpoints} 个检查点 / checkpoints, ${c.eventsChecked} 条事件重算 / events recomputed — ${state}`);
    }
    if (!checkpoints.ok) {
      const p = checkpoints.firstProblem;
      console.error(`签名检查点不符 / checkpoints FAILED at ${p?.chain} tree size ${p?.treeSize} (${p?.kind}): ${p?.message}`);
    }
    if (report.ok && checkpoints.ok) {
      console.log(`审计链完整 / chain intact: ${report.checked} 条事件 / events in ${report.chains.length} chains; ${checkpoints.chains.length} 条链的签名检查点一致 / checkpoints consistent`);
      return 0;
    }
    if (report.ok) return 1;
    const first = report.firstBreak;
    console.error(`审计链断裂 / chain BROKEN at ${first?.chain}#${first?.seq} (${first?.kind}): ${first?.message}`);
    console.error(`  已校验 / checked ${report.checked} of ${report.headSeq}`);
    return 1;
  } finally {
    await connection.close();
  }
}

runTool(main);
