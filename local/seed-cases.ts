/**
 * Demo cases for local mode: four decisions outside the legal-review scope, issued and published
 * through the same services as the API, so the public decision register has something to show
 * (a warning to a person, a small fine to an individual business, a licence, an inspection result).
 * Decisions inside the review scope are left to the review workflow; none is faked here. Each act has
 * its sealed photo from the demo body camera (local/seed-evidence.ts), as the recording rules require.
 */
import { createCaseBody } from '#domain/case.ts';
import { decisionDraftBody } from '#domain/decision.ts';
import { creditCodeCheckChar } from '#domain/identifiers.ts';
import type { Identity } from '#domain/identity.ts';
import { getPublicOfficerByCertificate } from '#store/registry.ts';
import { openCase, recordAct } from '#services/cases.ts';
import { issueDecision, saveDraft } from '#services/decisions.ts';
import { publish } from '#services/publication.ts';
import { systemContext } from '#services/context.ts';
import { fictionalIdNumber } from './seed-data.ts';
import { seedDemoDevice, seedDemoPhoto } from './seed-evidence.ts';

const OFFICER: Identity = { sub: 'system:seed', name: '演示数据初始化', groups: ['officer', 'leader', 'admin'], agencyId: 'sq-city' };

const code = (first17: string) => first17 + creditCodeCheckChar(first17);

interface DemoCase {
  readonly powerCode: string;
  readonly type: 'PENALTY' | 'LICENSING' | 'INSPECTION';
  readonly party: Record<string, unknown>;
  readonly summary: string;
  readonly decision: Record<string, unknown>;
}

const demoCases: DemoCase[] = [
  {
    powerCode: 'CF-SP-002',
    type: 'PENALTY',
    party: { kind: 'PERSON', name: '陈晓明', idNumber: fictionalIdNumber('321302', '19900101', '901'), phone: '13800009901', address: '宿迁市宿城区示例路1号' },
    summary: '流动摊点销售超过保质期的预包装食品',
    decision: {
      decisionNo: '宿市监简罚〔2026〕1号',
      procedure: 'SIMPLE',
      conclusion: '给予警告',
      penalties: ['WARNING'],
      violationType: '经营超过保质期的食品',
      legalBasis: '《中华人民共和国行政处罚法》第五十一条；《中华人民共和国食品安全法》第一百二十四条',
      facts: '当事人在流动摊点销售超过保质期的预包装饼干2袋，货值10元，当场改正。',
      documentText:
        '当事人陈晓明（身份证号码' + fictionalIdNumber('321302', '19900101', '901') + '，联系电话13800009901）于2026年10月12日在宿城区示例路流动摊点销售超过保质期的预包装饼干2袋。依据《中华人民共和国食品安全法》第一百二十四条，适用简易程序，决定给予警告。',
      decisionDate: '2026-10-12',
    },
  },
  {
    powerCode: 'CF-SP-002',
    type: 'PENALTY',
    party: { kind: 'INDIVIDUAL_BUSINESS', name: '宿城区示例便利店', creditCode: code('92321302MA1DEM001'), legalRepresentative: '刘志强', address: '宿迁市宿城区示例街8号' },
    summary: '销售超过保质期的饮料',
    decision: {
      decisionNo: '宿市监简罚〔2026〕2号',
      procedure: 'SIMPLE',
      conclusion: '罚款人民币二百元',
      penalties: ['FINE'],
      fine: '200.00',
      violationType: '经营超过保质期的食品',
      legalBasis: '《中华人民共和国行政处罚法》第五十一条；《中华人民共和国食品安全法》第一百二十四条',
      facts: '当事人货架上陈列超过保质期的饮料3瓶。',
      documentText: '当事人宿城区示例便利店（经营者刘志强）货架陈列超过保质期的饮料3瓶。适用简易程序，决定罚款人民币200元。',
      decisionDate: '2026-10-20',
    },
  },
  {
    powerCode: 'XK-SP-001',
    type: 'LICENSING',
    party: { kind: 'ORG', name: '宿迁示例餐饮管理有限公司', creditCode: code('91321302MA1DEM002'), legalRepresentative: '王建华', address: '宿迁市宿豫区示例大道18号' },
    summary: '食品经营许可申请',
    decision: {
      decisionNo: '宿市监食经许〔2026〕118号',
      procedure: 'GENERAL',
      conclusion: '准予许可',
      licensingOutcome: 'GRANTED',
      legalBasis: '《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》',
      facts: '申请材料齐全，经现场核查符合条件。',
      documentText: '宿迁示例餐饮管理有限公司：你单位提交的食品经营许可申请，经审查符合法定条件，决定准予许可，许可证编号JY13213020000001。',
      decisionDate: '2026-11-02',
    },
  },
  {
    powerCode: 'JC-001',
    type: 'INSPECTION',
    party: { kind: 'ORG', name: '宿迁示例食品有限公司', creditCode: code('91321302MA1DEM003'), legalRepresentative: '赵立新', address: '宿迁市经济技术开发区示例路6号' },
    summary: '食品生产企业日常监督检查',
    decision: {
      decisionNo: '宿市监食检〔2026〕56号',
      procedure: 'GENERAL',
      conclusion: '检查结果：符合',
      legalBasis: '《中华人民共和国食品安全法》第一百一十条；《食品生产经营监督检查管理办法》',
      facts: '对生产资质、进货查验、生产过程控制等 23 项进行检查，未发现问题。',
      documentText: '经对宿迁示例食品有限公司进行日常监督检查，检查项目23项，结果为符合。',
      decisionDate: '2026-11-10',
    },
  },
];

export async function seedDemoCases(): Promise<number> {
  const ctx = systemContext(OFFICER);
  const a = await getPublicOfficerByCertificate('32130001001');
  const b = await getPublicOfficerByCertificate('32130001004');
  if (!a || !b) return 0;
  const device = await seedDemoDevice(ctx, a.id);
  for (const demo of demoCases) {
    const filingDate = String(demo.decision.decisionDate).slice(0, 8) + '01';
    const c = await openCase(
      ctx,
      createCaseBody.parse({ agencyId: 'sq-city', enforcementType: demo.type, powerCode: demo.powerCode, party: demo.party, handlingOfficerIds: [a.id, b.id], filingDate, summary: demo.summary }),
    );
    const act = await recordAct(ctx, c.id, {
      type: demo.type === 'LICENSING' ? 'INSPECTION' : demo.type === 'INSPECTION' ? 'INSPECTION' : 'QUESTIONING',
      at: `${demo.decision.decisionDate as string}T09:30:00+08:00`,
      place: String(demo.party.address),
      officerIds: [a.id, b.id],
      notes: demo.summary,
    });
    // The act needs a photo, audio or video (R3, N7): the demo camera's, sealed.
    await seedDemoPhoto(device, { caseId: c.id, caseNo: c.caseNo, actId: act.id, at: act.at, place: act.place, collectorOfficerId: a.id, proves: demo.summary });
    const draft = await saveDraft(ctx, c.id, decisionDraftBody.parse({ version: 0, kind: demo.type, ...demo.decision }));
    const issued = await issueDecision(ctx, c.id, draft.version);
    await publish(ctx, c.id, issued.version);
  }
  return demoCases.length;
}
