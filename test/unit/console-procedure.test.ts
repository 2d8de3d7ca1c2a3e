/**
 * The case page's decision draft and procedure steps (issue 16 point 2): the draft's body as the API's
 * schema takes it, the labels held equal to the domain's, the steps' states through the procedure, and
 * the API's rule refusals as the next thing to do.
 */
import { describe, expect, it } from 'vitest';
import { DISCRETION_LABELS as DOMAIN_DISCRETION, PENALTY_LABELS as DOMAIN_PENALTIES, decisionDraftBody, reviewScope } from '../../shared/domain/decision.ts';
import { serviceBody as domainServiceBody, statementBody as domainStatementBody } from '../../shared/domain/procedure.ts';
import {
  DISCRETION_CODES,
  DISCRETION_HINTS,
  DISCRETION_LABELS,
  PENALTY_LABELS,
  documentGenerated,
  draftBody,
  draftFromCase,
  draftFromSaved,
  scopeText,
  togglePenalty,
  yuanText,
  type DraftForm,
} from '../../console/src/lib/decision-draft.ts';
import { materialsOf, nextStepAdvice, procedureSteps, serviceBody, statementBody, type NoticeInfo, type StepInput } from '../../console/src/lib/procedure.ts';

const CASE = { enforcementType: 'PENALTY', powerName: '对经营超过保质期食品的处罚', summary: '涉嫌经营超过保质期的食品', filingDate: '2026-11-20', legalBasis: '《中华人民共和国食品安全法》第一百二十四条' };

const penaltyForm = (patch: Partial<DraftForm> = {}): DraftForm => ({
  ...draftFromCase(CASE, '2026-12-02'),
  conclusion: '警告，并处罚款人民币 5000 元',
  penalties: ['WARNING', 'FINE'],
  fine: '5,000',
  discretion: 'LIGHTER',
  ...patch,
});

describe('the decision draft', () => {
  it('uses the domain’s words for penalty types and discretion levels, with a hint for each level', () => {
    expect(PENALTY_LABELS).toEqual(DOMAIN_PENALTIES);
    expect(DISCRETION_LABELS).toEqual(DOMAIN_DISCRETION);
    for (const d of DISCRETION_CODES) expect(DISCRETION_HINTS[d].length).toBeGreaterThan(5);
  });

  it('prefills a new draft from the case and its power item: kind, facts, legal basis, a general-procedure penalty dated today', () => {
    const f = draftFromCase(CASE, '2026-12-02');
    expect(f).toMatchObject({ kind: 'PENALTY', procedure: 'GENERAL', facts: CASE.summary, legalBasis: CASE.legalBasis, violationType: CASE.powerName, discretion: 'GENERAL', decisionDate: '2026-12-02' });
    // Never before the filing date.
    expect(draftFromCase(CASE, '2026-11-01').decisionDate).toBe('2026-11-20');
  });

  it('builds a body the API’s schema accepts for a general-procedure penalty: no 决定书 number or text, amounts as yuan', () => {
    const body = draftBody(penaltyForm({ decisionNo: '宿市监处罚〔2026〕1号', documentText: '留在表单里的旧全文' }), 3);
    expect(body).not.toHaveProperty('decisionNo');
    expect(body).not.toHaveProperty('documentText');
    expect(body.fine).toBe('5000');
    const parsed = decisionDraftBody.parse(body);
    expect(parsed).toMatchObject({ version: 3, procedure: 'GENERAL', discretion: 'LIGHTER', penalties: ['WARNING', 'FINE'] });
    // The review scope the API will compute for it: a general-procedure penalty.
    expect(reviewScope(parsed, 'ORG').matched.map((m) => m.rule)).toEqual(['GENERAL_PROCEDURE_PENALTY']);
  });

  it('asks for the number and text of a simple-procedure decision, and sends them', () => {
    const f = penaltyForm({ procedure: 'SIMPLE', penalties: ['WARNING'], fine: '0', decisionNo: '宿市监简罚〔2026〕3号', documentText: '当场行政处罚决定书全文……（略）' });
    expect(documentGenerated(f)).toBe(false);
    expect(decisionDraftBody.safeParse(draftBody(f, 0)).success).toBe(true);
    // Left empty, the schema's own messages name the fields.
    const empty = decisionDraftBody.safeParse(draftBody({ ...f, decisionNo: '', documentText: '' }, 0));
    expect(empty.success ? [] : empty.error.issues.map((i) => i.path.join('.'))).toEqual(['decisionNo', 'documentText']);
  });

  it('keeps a saved draft as it was when shown again', () => {
    const body = decisionDraftBody.parse(draftBody(penaltyForm(), 1));
    const { version: _v, ...saved } = body;
    expect(draftBody(draftFromSaved(saved), 1)).toEqual(draftBody(penaltyForm({ fine: '5000' }), 1));
  });

  it('reads amounts typed with separators or full-width digits, and an empty amount as 0', () => {
    expect(yuanText('１,２００.５0')).toBe('1200.50');
    expect(yuanText(' ')).toBe('0');
  });

  it('keeps penalty types in the template’s order whatever the order they were ticked in', () => {
    expect(togglePenalty(togglePenalty([], 'FINE', true), 'WARNING', true)).toEqual(['WARNING', 'FINE']);
    expect(togglePenalty(['WARNING', 'FINE'], 'WARNING', false)).toEqual(['FINE']);
  });

  it('says whether the draft needs legal review and why', () => {
    expect(scopeText({ inScope: false, matched: [], collectiveDiscussion: false })).toContain('不属于法制审核范围');
    const text = scopeText({ inScope: true, matched: [{ rule: 'MITIGATED_PENALTY', label: '减轻处罚' }, { rule: 'HEARING_HELD', label: '经过听证程序' }], collectiveDiscussion: true });
    expect(text).toContain('须经法制审核');
    expect(text).toContain('减轻处罚、经过听证程序');
    expect(text).toContain('集体讨论');
    // Once submitted, and once passed, the sentence says so instead.
    const scope = { inScope: true, matched: [{ rule: 'GENERAL_PROCEDURE_PENALTY', label: '适用一般程序的行政处罚' }], collectiveDiscussion: false };
    expect(scopeText(scope, 'IN_REVIEW')).toContain('法制审核中');
    expect(scopeText(scope, 'PUBLISHED')).toContain('已通过法制审核');
  });
});

const NOTICE: NoticeInfo = { documentId: 'doc-1', documentNo: '宿市监罚告〔2026〕7号', date: '2026-12-01', hearingOffered: false };
const input = (patch: Partial<StepInput> = {}): StepInput => ({ c: { status: 'OPEN' }, decisionStatus: 'DRAFT', general: true, inReviewScope: true, statements: [], today: '2026-12-02', ...patch });
const stateOf = (s: StepInput) => Object.fromEntries(procedureSteps(s).map((x) => [x.key, x.state]));
const current = (s: StepInput) => procedureSteps(s).find((x) => x.state === 'current')?.key;

describe('the procedure steps', () => {
  it('starts with the notice for a general-procedure penalty, and skips the notice steps otherwise', () => {
    expect(current(input())).toBe('notice');
    expect(stateOf(input({ general: false }))).toMatchObject({ notice: 'skipped', service: 'skipped', statement: 'skipped', review: 'current' });
  });

  it('moves through service, the statement period and the waiver to the review', () => {
    expect(current(input({ c: { status: 'OPEN', notice: NOTICE } }))).toBe('service');
    const served = { ...NOTICE, servedOn: '2026-12-02', statementEndsOn: '2026-12-09' };
    const open = procedureSteps(input({ c: { status: 'OPEN', notice: served } })).find((s) => s.key === 'statement');
    expect(open).toMatchObject({ state: 'current' });
    expect(open?.text).toContain('2026-12-09');
    // The review waits for the steps before it.
    expect(stateOf(input({ c: { status: 'OPEN', notice: served } }))).toMatchObject({ review: 'waiting' });
    expect(current(input({ c: { status: 'OPEN', notice: { ...served, waivedOn: '2026-12-02' } } }))).toBe('review');
    // The period over without a word from the party.
    expect(current(input({ c: { status: 'OPEN', notice: served }, today: '2026-12-10' }))).toBe('review');
  });

  it('holds at the statement while one is unanswered, and at a requested hearing', () => {
    const served = { ...NOTICE, servedOn: '2026-11-20', statementEndsOn: '2026-11-27', hearingOffered: true, hearingRequestEndsOn: '2026-11-25' };
    const statement = { id: 's1', kind: 'STATEMENT', receivedOn: '2026-11-22', channel: 'WRITTEN', text: '不服', late: false, noticeDocumentNo: NOTICE.documentNo };
    expect(current(input({ c: { status: 'OPEN', notice: served }, statements: [statement] }))).toBe('statement');
    const answered = { ...statement, response: { adoption: 'NOT_ADOPTED', response: '理由不成立' } };
    expect(current(input({ c: { status: 'OPEN', notice: served, hearing: { status: 'ARRANGED', request: { receivedOn: '2026-11-23' } } }, statements: [answered] }))).toBe('hearing');
    expect(stateOf(input({ c: { status: 'OPEN', notice: served, hearing: { status: 'WITHDRAWN' } }, statements: [answered] }))).toMatchObject({ hearing: 'done', review: 'current' });
  });

  it('shows the review as done once passed, and payment once a general-procedure penalty is issued', () => {
    const done = { ...NOTICE, servedOn: '2026-11-20', statementEndsOn: '2026-11-27', waivedOn: '2026-11-21' };
    expect(stateOf(input({ c: { status: 'OPEN', notice: done }, decisionStatus: 'IN_REVIEW' }))).toMatchObject({ review: 'current', payment: 'waiting' });
    expect(stateOf(input({ c: { status: 'DECIDED', notice: done }, decisionStatus: 'ISSUED' }))).toMatchObject({ review: 'done', payment: 'current' });
    expect(stateOf(input({ decisionStatus: 'DRAFT', inReviewScope: false, general: false }))).toMatchObject({ review: 'skipped', payment: 'skipped' });
  });
});

describe('the step forms', () => {
  it('builds service and statement bodies the API’s schemas accept', () => {
    const s = serviceBody({ documentId: 'a1b2c3', method: 'DIRECT', servedOn: '2026-12-02', recipient: ' 赵磊 ', place: '宿迁市宿城区示例路8号', receipt: '当事人当场签收' }, ['o1', 'o2']);
    expect(domainServiceBody.parse(s)).toMatchObject({ recipient: '赵磊', officerIds: ['o1', 'o2'] });
    // Without a place, a direct service is refused at the place field.
    const r = domainServiceBody.safeParse(serviceBody({ documentId: 'a1b2c3', method: 'DIRECT', servedOn: '2026-12-02', recipient: '赵磊', place: ' ', receipt: '签收' }, ['o1']));
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(['place']);
    expect(domainStatementBody.safeParse(statementBody({ kind: 'WAIVER', receivedOn: '2026-12-02', channel: 'WRITTEN', text: '放弃陈述、申辩' })).success).toBe(true);
  });

  it('sends one review material per non-empty line', () => {
    expect(materialsOf('决定书草稿\n\n 证据清单 \r\n')).toEqual(['决定书草稿', '证据清单']);
  });
});

describe('rule refusals as the next thing to do', () => {
  it('names the step to take, with the end of an open statement period', () => {
    expect(nextStepAdvice({ code: 'NOTICE_REQUIRED', message: 'x', details: [] })).toContain('「告知」');
    expect(nextStepAdvice({ code: 'NOTICE_NOT_SERVED', message: 'x', details: [] })).toContain('「送达」');
    expect(nextStepAdvice({ code: 'NOTICE_PERIOD_OPEN', message: '……', details: [{ path: 'notice', message: '期限至 2026-12-09' }] })).toContain('至 2026-12-09 届满');
    expect(nextStepAdvice({ code: 'STATEMENT_UNANSWERED', message: 'x', details: [] })).toContain('复核意见');
    expect(nextStepAdvice({ code: 'HEARING_PENDING', message: 'x', details: [] })).toContain('听证');
  });

  it('keeps the API’s message for a code it does not know', () => {
    expect(nextStepAdvice({ code: 'SOMETHING_NEW', message: '接口的说明', details: [] })).toBe('接口的说明');
  });
});
