/**
 * A realistic field set for every document type (a fine for selling expired food by an individual
 * business in 宿城区), used by the unit tests, the bench and as an example for callers. Fictitious.
 */
import type { DocumentFields, DocumentType } from './types.ts';

const party = {
  agencyName: '宿迁市宿城区市场监督管理局',
  partyName: '宿城区王记副食品店',
  partyKindLabel: '个体工商户',
  partyIdLabel: '统一社会信用代码',
  partyId: '92321302MA1XXXXX0Q',
  creditCode: '92321302MA1XXXXX0Q',
  partyAddress: '江苏省宿迁市宿城区幸福中路18号',
  legalRepresentative: '王某某（经营者）',
  caseNo: '宿城市监立〔2026〕88号',
  violationType: '销售超过保质期的食品',
  filingDate: '2026年11月3日',
  handlingOfficers: '张某（执法证号32130026001）、李某（执法证号32130026002）',
  agencyAddress: '宿迁市宿城区西湖路66号',
  agencyPhone: '0527-84000000',
} as const;

const facts =
  '2026年11月2日，本局执法人员对当事人经营场所进行检查，发现其货架上摆放待售的“某某牌”牛奶12盒已超过标注的保质期（保质期至2026年10月28日）。' +
  '经查，当事人于2026年10月15日从宿迁某某商贸有限公司购进该批牛奶24盒，进价每盒4.5元，售价每盒6元，已售出12盒，货值金额144元，违法所得18元。';

const evidence = [
  '当事人的营业执照、食品经营许可证复印件',
  '2026年11月2日现场检查笔录及现场照片',
  '当事人经营者王某某的询问笔录',
  '进货单据复印件',
  '扣押的超过保质期牛奶12盒',
];

const legalBasis =
  '《中华人民共和国食品安全法》第三十四条第十项、第一百二十四条第一款第五项';

export const SAMPLE_FIELDS: Readonly<Record<DocumentType, DocumentFields>> = {
  FILING_APPROVAL: {
    ...party,
    caseSource: '监督检查',
    powerName: '对销售超过保质期食品的行政处罚',
    caseSummary: '执法人员在日常监督检查中发现当事人销售超过保质期的牛奶，涉嫌违反《中华人民共和国食品安全法》第三十四条第十项，符合立案条件。',
    approvalOpinion: '同意立案，由张某、李某承办。',
    approver: '赵某某',
  },
  PENALTY_NOTICE: {
    ...party,
    facts,
    evidence,
    legalBasis,
    discretionLabel: '从轻处罚',
    proposedPenalty: '1. 没收超过保质期的牛奶12盒；2. 没收违法所得人民币18元；3. 罚款人民币5,000元',
    statementDays: '5',
    hearingOffered: 'true',
    hearingDays: '5',
  },
  HEARING_NOTICE: {
    ...party,
    hearingDateTime: '2026年12月15日上午9时30分',
    hearingPlace: '宿迁市宿城区西湖路66号本局三楼听证室',
    hearingPublic: '公开',
    hearingOfficer: '陈某某',
    hearingClerk: '周某',
  },
  HEARING_RECORD: {
    ...party,
    hearingDateTime: '2026年12月15日上午9时30分至10时40分',
    hearingPlace: '宿迁市宿城区西湖路66号本局三楼听证室',
    hearingPublic: '公开',
    hearingOfficer: '陈某某',
    hearingClerk: '周某',
    recordParticipants: '委托代理人孙某（江苏某某律师事务所律师）；案件调查人员张某、李某',
    recordInvestigatorStatement: `调查人员陈述：${facts}上述行为违反了《中华人民共和国食品安全法》第三十四条第十项，建议依据第一百二十四条第一款第五项从轻处罚。`,
    recordPartyStatement: '当事人对违法事实无异议，称系疏忽未及时下架，已全部下架并自查其他商品，请求减轻处罚。',
    recordCrossExamination: '当事人对证据1至5的真实性、合法性、关联性均无异议。',
    recordFinalStatement: '请求从轻处罚，今后一定加强进货查验和临期食品管理。',
  },
  PENALTY_DECISION: {
    ...party,
    facts,
    evidence,
    statementSummary: '当事人称系疏忽未及时下架，请求减轻处罚。',
    statementResponse: '当事人所述情节已在裁量时考虑，不符合减轻处罚的条件，不予采纳。',
    hearingSummary: '本局于2026年12月15日应当事人申请公开举行了听证，当事人对违法事实无异议。',
    legalBasis,
    discretionLabel: '从轻处罚',
    penaltyContent: '1. 没收超过保质期的牛奶12盒；2. 没收违法所得人民币18元；3. 罚款人民币5,000元。',
    fine: '5,000.00',
    fineInWords: '伍仟元整',
    paymentBank: '中国农业银行宿迁分行营业部',
    paymentAccount: '1048 0101 0400 00000',
    paymentReference: '3213022612000088',
    reconsiderationBody: '宿迁市宿城区人民政府',
    court: '宿迁市宿城区人民法院',
    publicationNotice: '根据《中华人民共和国行政处罚法》第四十八条和《市场监督管理行政处罚信息公示规定》，本行政处罚决定信息将在隐去个人隐私等信息后，自作出之日起7个工作日内依法向社会公开。',
  },
  SERVICE_RECEIPT: {
    ...party,
    servedDocumentTitle: '行政处罚决定书',
    servedDocumentNo: '宿城市监处罚〔2026〕12号',
    servicePlace: '江苏省宿迁市宿城区幸福中路18号',
    serviceMethodLabel: '直接送达',
    serviceDate: '2026年12月22日10时15分',
    recipient: '王某某（经营者本人）',
    servers: '张某、李某',
  },
  CLOSING_APPROVAL: {
    ...party,
    decisionNo: '宿城市监处罚〔2026〕12号',
    decisionDate: '2026年12月20日',
    penaltyContent: '1. 没收超过保质期的牛奶12盒；2. 没收违法所得人民币18元；3. 罚款人民币5,000元。',
    performance: '当事人已于2026年12月28日缴纳罚款人民币5,000元、违法所得18元；没收的牛奶已于2026年12月29日销毁。',
    closingReason: '行政处罚决定已履行完毕。',
    approvalOpinion: '同意结案。',
    approver: '赵某某',
  },
  PENALTY_SUMMARY: {
    ...party,
    decisionNo: '宿城市监处罚〔2026〕12号',
    facts,
    legalBasis,
    penaltyContent: '没收超过保质期的牛奶12盒；没收违法所得人民币18元；罚款人民币5,000元。',
    fine: '5,000.00',
    decisionDate: '2026年12月20日',
  },
};
