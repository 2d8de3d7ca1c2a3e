/**
 * Demo penalty cases for local mode, one at each stage of the general procedure (issue 15 point 9):
 * 告知 (notice made, not served), 陈述申辩 (a statement awaiting its answer), 听证 (a hearing arranged),
 * 待缴款 (issued and served, the fine overdue), 复议中 (published, a reconsideration pending) and 已结案
 * (paid and closed with its full document set). Every step goes through the services the API uses, so
 * every record has its audit event, its timeline entry and its numbered document.
 *
 * Issuing a general-procedure penalty needs a passed legal review of the exact draft: the seed runs the
 * real review — submission, the in-process workflow (installed before seeding), the assigned reviewer's
 * opinion and the leader's approval — and waits for each step. No review record is written directly.
 *
 * Dates are relative to the real today (Asia/Shanghai), so the open periods are open and the overdue
 * fine is overdue whenever the data dir is first started.
 */
import { actBody, createCaseBody, type Case } from '#domain/case.ts';
import { shanghaiToday } from '#domain/dates.ts';
import { decisionDraftBody } from '#domain/decision.ts';
import type { Decision } from '#domain/decision-record.ts';
import { creditCodeCheckChar } from '#domain/identifiers.ts';
import type { Identity } from '#domain/identity.ts';
import { hearingArrangementBody, hearingRequestBody } from '#domain/hearing.ts';
import { closeBody, documentOnDemandBody } from '#domain/closing.ts';
import { paymentBody } from '#domain/payment.ts';
import { noticeBody, serviceBody, statementBody, statementResponseBody } from '#domain/procedure.ts';
import { remedyBody } from '#domain/remedy.ts';
import { approvalBody, opinionBody, CHECKLIST_POINTS } from '#domain/review.ts';
import type { Review } from '#domain/review-record.ts';
import { addCalendarDays } from '#domain/working-days.ts';
import { getDeviceBySerial, getPublicOfficerByCertificate } from '#store/registry.ts';
import { openCase, recordAct, requireCase } from '#services/cases.ts';
import { issueDecision, requireDecision, saveDraft } from '#services/decisions.ts';
import { publish } from '#services/publication.ts';
import { issueNotice, recordService, recordStatement, answerStatement } from '#services/procedure.ts';
import { arrangeHearing, requestHearing } from '#services/hearing.ts';
import { recordPayment } from '#services/payments.ts';
import { fileRemedy } from '#services/remedies.ts';
import { closeCase, makeDocumentOnDemand } from '#services/closing.ts';
import { approve, giveOpinion, requireReview, submit } from '#services/reviews.ts';
import { systemContext, type ActionContext } from '#services/context.ts';
import { DEMO_DEVICE_SERIAL, seedDemoPhoto } from './seed-evidence.ts';

const AGENCY = 'sq-city';
const OFFICER: Identity = { sub: 'system:seed', name: '演示数据初始化', groups: ['officer'], agencyId: AGENCY };
const LEADER: Identity = { sub: 'system:seed:leader', name: '宿迁市局负责人（演示）', groups: ['leader'], agencyId: AGENCY };
/** 李文静 and 沈雨桐: 食品安全 certificates valid until 2029-03 and 2028-12 (local/seed-data.ts). */
const HANDLER_CERTIFICATES = ['32130001004', '32130001015'] as const;
/** 王志刚 presides, 吴佳怡 records: outside the hearing case and never its reviewers. */
const HEARING_CERTIFICATES = ['32130001005', '32130001010'] as const;
const REVIEW_MATERIALS = ['决定书草稿', '证据清单', '调查终结报告'];
/** How long the seed waits for the workflow to reach a step (it takes milliseconds in local mode). */
const STEP_TIMEOUT_MS = 20_000;

const code = (first17: string) => first17 + creditCodeCheckChar(first17);

interface Party {
  readonly name: string;
  readonly creditCode: string;
  readonly legalRepresentative: string;
  readonly address: string;
}

const party = (name: string, seq: string, legalRepresentative: string, address: string): Party => ({ name, creditCode: code(`91321302MA1DEP0${seq}`), legalRepresentative, address });

interface Officers {
  readonly handlers: readonly string[];
  readonly hearing: readonly [string, string];
}

interface Demo {
  readonly officers: Officers;
  readonly ctx: ActionContext;
  readonly device: Awaited<ReturnType<typeof getDeviceBySerial>>;
}

interface CaseSpec {
  readonly powerCode: string;
  readonly party: Party;
  readonly summary: string;
  readonly filingDate: string;
  readonly actDate: string;
  readonly fine: string;
  readonly conclusion: string;
  readonly violationType: string;
  readonly legalBasis: string;
  readonly facts: string;
  readonly decisionDate: string;
}

/** Opens the case: sequentially, so case numbers follow the filing dates. */
async function open(demo: Demo, s: CaseSpec): Promise<Case> {
  return openCase(
    demo.ctx,
    createCaseBody.parse({ agencyId: AGENCY, enforcementType: 'PENALTY', powerCode: s.powerCode, party: { kind: 'ORG', ...s.party }, handlingOfficerIds: demo.officers.handlers, filingDate: s.filingDate, summary: s.summary }),
  );
}

/** The on-site inspection with its sealed photo, and the draft: nothing numbered, so the cases run at once. */
async function investigate(demo: Demo, c: Case, s: CaseSpec): Promise<void> {
  const { ctx, officers } = demo;
  const act = await recordAct(ctx, c.id, actBody.parse({ type: 'INSPECTION', at: `${s.actDate}T09:30:00+08:00`, place: s.party.address, officerIds: officers.handlers, notes: s.summary }));
  // The act needs a photo, audio or video (R3, N7): the demo camera's, sealed.
  if (demo.device) {
    await seedDemoPhoto(demo.device, { caseId: c.id, caseNo: c.caseNo, actId: act.id, at: act.at, place: act.place, collectorOfficerId: officers.handlers[0] as string, proves: s.summary });
  }
  await saveDraft(
    ctx,
    c.id,
    decisionDraftBody.parse({ version: 0, kind: 'PENALTY', procedure: 'GENERAL', conclusion: s.conclusion, penalties: ['FINE'], fine: s.fine, violationType: s.violationType, legalBasis: s.legalBasis, facts: s.facts, decisionDate: s.decisionDate }),
  );
}

async function notice(demo: Demo, caseId: string, date: string) {
  const c = await requireCase(caseId);
  return issueNotice(demo.ctx, caseId, noticeBody.parse({ version: c.version, date }));
}

async function serve(demo: Demo, c: Pick<Case, 'id' | 'party'>, documentId: string, servedOn: string, receipt = '当事人当场签收') {
  const who = c.party.legalRepresentative ?? c.party.name;
  return recordService(demo.ctx, c.id, serviceBody.parse({ documentId, method: 'DIRECT', servedOn, recipient: who, place: c.party.address, officerIds: demo.officers.handlers, receipt }));
}

async function waive(demo: Demo, caseId: string, on: string) {
  await recordStatement(demo.ctx, caseId, statementBody.parse({ kind: 'WAIVER', receivedOn: on, channel: 'WRITTEN', text: '本单位对拟作出的行政处罚无异议，放弃陈述、申辩和听证的权利。' }));
}

/** Waits until the review satisfies `done` (the workflow runs in this process). */
async function untilReview(reviewId: string, done: (r: Review) => boolean, what: string): Promise<Review> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const r = await requireReview(reviewId);
    if (done(r)) return r;
    if (r.status !== 'IN_PROGRESS' || Date.now() > deadline) throw new Error(`Demo review ${reviewId} did not reach ${what}: it is ${r.status} in ${r.step}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The legal review of the current draft, through the workflow: opinion by the assigned reviewer, the leader's approval. */
async function passReview(demo: Demo, caseId: string): Promise<void> {
  const d = await requireDecision(caseId);
  const submitted = await submit(demo.ctx, caseId, { version: d.version, materials: REVIEW_MATERIALS });
  const waiting = await untilReview(submitted.id, (r) => r.step === 'AwaitOpinion' && r.taskToken !== undefined && r.reviewerId !== undefined, 'AwaitOpinion');
  const reviewer: Identity = { sub: `system:seed:reviewer:${waiting.reviewerId}`, name: waiting.reviewerName ?? '法制审核人员', groups: ['reviewer'], agencyId: AGENCY, officerId: waiting.reviewerId as string };
  await giveOpinion(
    systemContext(reviewer),
    waiting.id,
    opinionBody.parse({
      version: waiting.version,
      checklist: Object.fromEntries(CHECKLIST_POINTS.map((p) => [p, { passed: true }])),
      documentsComplete: true,
      suspectedCrime: false,
      outcome: 'APPROVE',
      opinion: '执法主体合法，事实清楚，证据确凿，定性准确，适用依据正确，程序合法，处罚适当，同意作出行政处罚决定。',
    }),
  );
  const approving = await untilReview(waiting.id, (r) => r.step === 'AwaitLeaderApproval' && r.taskToken !== undefined, 'AwaitLeaderApproval');
  await approve(systemContext(LEADER), approving.id, approvalBody.parse({ version: approving.version, decision: 'APPROVE' }));
  await untilReview(approving.id, (r) => r.status === 'PASSED', 'PASSED');
}

async function issue(demo: Demo, caseId: string): Promise<Decision> {
  const d = await requireDecision(caseId);
  return issueDecision(demo.ctx, caseId, d.version);
}

const FOOD_LAW = '《中华人民共和国食品安全法》';
const EXPIRED_FOOD = {
  powerCode: 'CF-SP-002',
  summary: '涉嫌经营超过保质期的食品',
  violationType: '经营超过保质期的食品',
  legalBasis: `${FOOD_LAW}第三十四条第（十）项、第一百二十四条第一款第（五）项`,
};

/** The six cases, `day(n)` being n days from today. */
function specs(day: (n: number) => string): Record<'notice' | 'statement' | 'hearing' | 'payment' | 'reconsideration' | 'closed', CaseSpec> {
  return {
    notice: {
      ...EXPIRED_FOOD,
      party: party('宿迁示例超市有限公司', '01', '孙明', '宿迁市宿城区示例路21号'),
      filingDate: day(-14),
      actDate: day(-13),
      fine: '50000.00',
      conclusion: '罚款人民币五万元',
      facts: '当事人在其经营场所货架上陈列销售超过保质期的预包装食品8种共26件，货值金额860元。',
      decisionDate: day(0),
    },
    statement: {
      powerCode: 'CF-SP-005',
      party: party('宿迁示例餐饮有限公司', '02', '周芳', '宿迁市宿豫区示例大道36号'),
      summary: '涉嫌安排未取得健康证明的人员从事接触直接入口食品的工作',
      filingDate: day(-16),
      actDate: day(-15),
      fine: '20000.00',
      conclusion: '罚款人民币二万元',
      violationType: '安排未取得健康证明的人员从事接触直接入口食品的工作',
      legalBasis: `${FOOD_LAW}第四十五条第一款、第一百二十六条第一款第（六）项`,
      facts: '当事人安排未取得健康证明的3名从业人员在后厨从事凉菜加工等接触直接入口食品的工作。',
      decisionDate: day(0),
    },
    // A fine of 150,000 yuan to an organisation: a large fine, so the notice offers a hearing (N10).
    hearing: {
      powerCode: 'CF-SP-001',
      party: party('宿迁示例食品贸易有限公司', '03', '吴强', '宿迁市经济技术开发区示例路58号'),
      summary: '涉嫌未取得食品经营许可从事食品经营活动',
      filingDate: day(-20),
      actDate: day(-19),
      fine: '150000.00',
      conclusion: '罚款人民币十五万元',
      violationType: '未取得食品经营许可从事食品经营活动',
      legalBasis: `${FOOD_LAW}第三十五条第一款、第一百二十二条第一款`,
      facts: '当事人未取得食品经营许可，在其仓库批发预包装食品，货值金额12,600元。',
      decisionDate: day(0),
    },
    payment: {
      ...EXPIRED_FOOD,
      party: party('宿迁洋河示例副食品有限公司', '04', '郑华', '宿迁市洋河新区示例街99号'),
      filingDate: day(-60),
      actDate: day(-59),
      fine: '8000.00',
      conclusion: '罚款人民币八千元',
      facts: '当事人在其仓库存放并销售超过保质期的食用植物油12桶，货值金额720元。',
      decisionDate: day(-35),
    },
    reconsideration: {
      ...EXPIRED_FOOD,
      party: party('宿迁湖滨示例连锁便利有限公司', '05', '冯军', '宿迁市湖滨新区示例广场5号'),
      filingDate: day(-50),
      actDate: day(-49),
      fine: '30000.00',
      conclusion: '罚款人民币三万元',
      facts: '当事人门店冷柜内陈列销售超过保质期的乳制品15盒，货值金额420元，系第二次被查处。',
      decisionDate: day(-7),
    },
    closed: {
      ...EXPIRED_FOOD,
      party: party('宿迁宿豫示例粮油有限公司', '06', '陈刚', '宿迁市宿豫区示例工业园8号'),
      filingDate: day(-45),
      actDate: day(-44),
      fine: '5000.00',
      conclusion: '罚款人民币五千元',
      facts: '当事人在其门市部销售超过保质期的挂面6箱，货值金额300元，已主动下架并召回。',
      decisionDate: day(-6),
    },
  };
}

/**
 * Cases, documents and receipts are numbered per agency and year in the order they are made: the
 * numbered steps run one after another in the order of their dates, and only the unnumbered work
 * (inspections, photos, drafts, the legal reviews) runs at once.
 */
export async function seedProcedureCases(): Promise<number> {
  const handlers = await Promise.all(HANDLER_CERTIFICATES.map((n) => getPublicOfficerByCertificate(n)));
  const hearingOfficers = await Promise.all(HEARING_CERTIFICATES.map((n) => getPublicOfficerByCertificate(n)));
  if (handlers.some((o) => !o) || hearingOfficers.some((o) => !o)) return 0;
  const today = shanghaiToday();
  const day = (n: number) => addCalendarDays(today, n);
  const demo: Demo = {
    ctx: systemContext(OFFICER),
    officers: { handlers: handlers.map((o) => o!.id), hearing: [hearingOfficers[0]!.id, hearingOfficers[1]!.id] },
    device: await getDeviceBySerial(DEMO_DEVICE_SERIAL),
  };
  const spec = specs(day);
  const order = ['payment', 'reconsideration', 'closed', 'hearing', 'statement', 'notice'] as const;
  const cases = {} as Record<(typeof order)[number], Case>;
  for (const k of order) cases[k] = await open(demo, spec[k]);
  const filingApproval = makeDocumentOnDemand(demo.ctx, cases.closed.id, documentOnDemandBody.parse({ type: 'FILING_APPROVAL', caseSource: '监督检查', approvalOpinion: '同意立案调查', approver: LEADER.name }));
  await Promise.all([filingApproval, ...order.map((k) => investigate(demo, cases[k], spec[k]))]);
  const { payment, reconsideration, closed, hearing, statement } = cases;

  // The notices in the order of their dates; the three to be decided are served (their receipts dated
  // before the first decision's), waived or answered, then reviewed at once.
  const noticeDates = { payment: -42, reconsideration: -40, closed: -38, hearing: -3, statement: -2, notice: 0 } as const;
  const notices = {} as Record<(typeof order)[number], string>;
  for (const k of order.slice(0, 3)) notices[k] = (await notice(demo, cases[k].id, day(noticeDates[k]))).document.id;
  await serve(demo, payment, notices.payment, day(noticeDates.payment));
  await waive(demo, payment.id, day(noticeDates.payment));
  await serve(demo, reconsideration, notices.reconsideration, day(noticeDates.reconsideration));
  const said = await recordStatement(
    demo.ctx,
    reconsideration.id,
    statementBody.parse({ kind: 'STATEMENT', receivedOn: day(-38), channel: 'WRITTEN', text: '涉案乳制品系门店员工疏忽未及时下架，本公司无主观故意，请求不予处罚。' }),
  );
  await answerStatement(
    demo.ctx,
    reconsideration.id,
    said.id,
    statementResponseBody.parse({ adoption: 'NOT_ADOPTED', response: '经复核，经营超过保质期的食品不以主观故意为要件，当事人系再次违法，陈述申辩理由不成立，不予采纳。' }),
  );
  await serve(demo, closed, notices.closed, day(noticeDates.closed));
  await waive(demo, closed.id, day(noticeDates.closed));
  const reviews = Promise.all([passReview(demo, payment.id), passReview(demo, reconsideration.id), passReview(demo, closed.id)]);
  // The other notices meanwhile (a review writes no document).
  for (const k of order.slice(3)) notices[k] = (await notice(demo, cases[k].id, day(noticeDates[k]))).document.id;
  await reviews;

  // 待缴款: issued and served weeks ago; the fine is overdue.
  const paymentDecision = await issue(demo, payment.id);
  await serve(demo, payment, paymentDecision.document!.id, day(-34));
  await publish(demo.ctx, payment.id, paymentDecision.version);

  // 复议中: published; the party applied for reconsideration, no outcome yet.
  const reconsidered = await issue(demo, reconsideration.id);
  await serve(demo, reconsideration, reconsidered.document!.id, day(-6));
  await publish(demo.ctx, reconsideration.id, reconsidered.version);
  await fileRemedy(
    demo.ctx,
    reconsideration.id,
    remedyBody.parse({ kind: 'RECONSIDERATION', body: '宿迁市人民政府', filedOn: day(-1), caseNumber: `宿政复〔${today.slice(0, 4)}〕18号`, note: '当事人认为其无主观过错，申请撤销行政处罚决定。' }),
  );

  const closedDecision = await issue(demo, closed.id);
  await serve(demo, closed, closedDecision.document!.id, day(-6), '当事人当场签收，表示按期缴纳罚款');
  const published = await publish(demo.ctx, closed.id, closedDecision.version);
  await recordPayment(
    demo.ctx,
    closed.id,
    paymentBody.parse({ amount: spec.closed.fine, paidOn: day(-3), source: 'BANK_RECONCILIATION', reference: `ICBC${day(-3).replaceAll('-', '')}000618`, paymentReference: published.paymentReference }),
  );
  await closeCase(demo.ctx, closed.id, closeBody.parse({ version: (await requireCase(closed.id)).version, approver: LEADER.name, approvedOn: today, reason: 'PERFORMED' }));

  // 听证: served, a hearing requested in time and arranged ten days ahead with its 听证通知书.
  await serve(demo, hearing, notices.hearing, day(noticeDates.hearing));
  const requested = await requestHearing(demo.ctx, hearing.id, hearingRequestBody.parse({ version: (await requireCase(hearing.id)).version, receivedOn: day(-2), channel: 'WRITTEN' }));
  await arrangeHearing(
    demo.ctx,
    hearing.id,
    hearingArrangementBody.parse({ version: requested.version, officerId: demo.officers.hearing[0], clerkId: demo.officers.hearing[1], at: `${day(10)}T09:30:00+08:00`, place: '宿迁市市场监督管理局第一听证室', public: true, date: today }),
  );

  // 陈述申辩: served two days ago (the period is open), a written statement not yet answered.
  await serve(demo, statement, notices.statement, day(noticeDates.statement));
  await recordStatement(demo.ctx, statement.id, statementBody.parse({ kind: 'STATEMENT', receivedOn: day(-1), channel: 'WRITTEN', text: '3名从业人员系新入职人员，已于检查后第二日取得健康证明，请求从轻处罚。' }));

  // 告知: the notice made today (above), not yet served.
  return order.length;
}
