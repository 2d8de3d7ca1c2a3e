/**
 * Moves the demo bureau's penalty cases (local/seed-procedure.ts) on through the local HTTP API, as the
 * handling division and the reviewers would: the 告知 case's prior notice served and waived, its draft
 * submitted for legal review, and the review followed to the step wanted. Used where a browser is to
 * find a review waiting for someone (the console's e2e tests, `npm run bench -- --only console`).
 * Local mode only: tokens come from `/local/token`.
 */

/** The demo's 告知 case: its notice made, not yet served. */
export const NOTICE_PARTY = '宿迁示例超市有限公司';
/** The demo's 陈述申辩 case. */
export const STATEMENT_PARTY = '宿迁示例餐饮有限公司';
export const CHECKLIST_POINTS = ['JURISDICTION', 'PARTY', 'FACTS_AND_EVIDENCE', 'CHARACTERISATION', 'LEGAL_BASIS', 'PROCEDURE', 'APPROPRIATENESS'] as const;
export const ALL_PASSED: Readonly<Record<string, { passed: boolean }>> = Object.fromEntries(CHECKLIST_POINTS.map((p) => [p, { passed: true }]));

export interface TokenPerson {
  readonly sub: string;
  readonly name: string;
  readonly groups: readonly string[];
  readonly agencyId?: string;
  readonly officerId?: string;
}

export interface ReviewState {
  readonly id: string;
  readonly caseNo: string;
  readonly version: number;
  readonly status: string;
  readonly step: string;
  readonly reviewerId?: string;
  readonly reviewerName?: string;
}

export interface DemoCase {
  readonly id: string;
  readonly caseNo: string;
  readonly party: { readonly name: string; readonly legalRepresentative?: string; readonly address?: string };
  readonly handlingOfficerIds: readonly string[];
}

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

/** Today in Asia/Shanghai (UTC+8 throughout). */
const today = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export function demoFlows(apiUrl: string) {
  async function call<T>(path: string, token: string, init: { method?: string; json?: unknown } = {}): Promise<Answer<T>> {
    const res = await fetch(`${apiUrl}${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${token}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** An answer that must have this status, or an error naming the call and what came back. */
  async function expectStatus<T>(status: number, path: string, token: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
    const res = await call<T>(path, token, init);
    if (res.status !== status) throw new Error(`${init.method ?? (init.json === undefined ? 'GET' : 'POST')} ${path}: ${res.status}, expected ${status}: ${JSON.stringify(res.body).slice(0, 400)}`);
    return res.body;
  }

  async function token(person: TokenPerson): Promise<string> {
    // Only what the token issuer takes (a sign-in list entry carries more).
    const { sub, name, groups, agencyId, officerId } = person;
    const res = await fetch(`${apiUrl}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub, name, groups, ...(agencyId ? { agencyId } : {}), ...(officerId ? { officerId } : {}) }),
    });
    if (!res.ok) throw new Error(`POST /local/token: ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  }

  /** Polls the review until `done` (the local workflow moves it on within a second or two). */
  async function untilStep(id: string, tokenOf: string, done: (r: ReviewState) => boolean, what: string): Promise<ReviewState> {
    for (let i = 0; i < 200; i++) {
      const r = await call<ReviewState>(`/reviews/${id}`, tokenOf);
      if (done(r.body)) return r.body;
      if (r.body.status !== 'IN_PROGRESS') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`review ${id} did not reach ${what}`);
  }

  async function demoCase(agencyId: string, party: string, tokenOf: string): Promise<DemoCase> {
    const cases = await expectStatus<{ items: DemoCase[] }>(200, `/cases?agencyId=${agencyId}&limit=100`, tokenOf);
    const c = cases.items.find((x) => x.party.name === party);
    if (!c) throw new Error(`the demo case of ${party} is missing: is the demo data seeded?`);
    return c;
  }

  /** The case's prior notice served today and the party's written waiver (P1, P2): the draft may be decided. */
  async function serveNoticeAndWaive(c: DemoCase, tokenOf: string): Promise<void> {
    const docs = await expectStatus<{ items: { id: string; title: string }[] }>(200, `/cases/${c.id}/documents`, tokenOf);
    const notice = docs.items.find((d) => d.title.includes('告知'));
    if (!notice) throw new Error(`no notice among the documents of ${c.caseNo}`);
    await expectStatus(201, `/cases/${c.id}/services`, tokenOf, {
      json: { documentId: notice.id, method: 'DIRECT', servedOn: today(), recipient: c.party.legalRepresentative ?? c.party.name, place: c.party.address ?? '当事人住所', officerIds: c.handlingOfficerIds, receipt: '当事人当场签收' },
    });
    await expectStatus(201, `/cases/${c.id}/statements`, tokenOf, { json: { kind: 'WAIVER', receivedOn: today(), channel: 'WRITTEN', text: '本单位对拟作出的行政处罚无异议，放弃陈述、申辩和听证的权利。' } });
  }

  /** Submits the case's draft for review and waits for the workflow to assign a reviewer. */
  async function submitForReview(caseId: string, tokenOf: string): Promise<ReviewState> {
    const view = await expectStatus<{ decision: { version: number } }>(200, `/cases/${caseId}`, tokenOf);
    const submitted = await expectStatus<ReviewState>(201, `/cases/${caseId}/decision/review`, tokenOf, { json: { version: view.decision.version, materials: ['决定书草稿', '证据清单', '调查终结报告'] } });
    return untilStep(submitted.id, tokenOf, (r) => r.step === 'AwaitOpinion' && r.reviewerId !== undefined, 'AwaitOpinion');
  }

  /** The assigned reviewer's token for a review. */
  const reviewerToken = (r: ReviewState, agencyId: string): Promise<string> =>
    token({ sub: `officer:${r.reviewerId ?? ''}`, name: r.reviewerName ?? '审核人员', groups: ['reviewer'], agencyId, ...(r.reviewerId ? { officerId: r.reviewerId } : {}) });

  /** The 告知 case of `agencyId` through its notice and waiver, submitted: a review waiting for its reviewer's opinion. */
  async function reviewAwaitingOpinion(agencyId: string, tokenOf: string): Promise<{ review: ReviewState; caseId: string }> {
    const c = await demoCase(agencyId, NOTICE_PARTY, tokenOf);
    await serveNoticeAndWaive(c, tokenOf);
    return { review: await submitForReview(c.id, tokenOf), caseId: c.id };
  }

  /** The agency's leader from the local sign-in list: their token. */
  async function leaderToken(agencyId: string): Promise<string> {
    const people = await expectStatus<{ items: (TokenPerson & { agencyId: string })[] }>(200, '/local/people', '');
    const leader = people.items.find((p) => p.agencyId === agencyId && p.groups.includes('leader'));
    if (!leader) throw new Error(`no leader of ${agencyId} among the local people`);
    return token(leader);
  }

  /**
   * The 告知 case of `agencyId` all the way to an issued decision, not yet published (D7): notice served
   * and waived, reviewed and approved by the assigned reviewer, approved by the leader, issued by the leader.
   */
  async function issuedDecision(agencyId: string, tokenOf: string): Promise<{ caseId: string; caseNo: string; publicId: string; version: number }> {
    const { review, caseId } = await reviewAwaitingOpinion(agencyId, tokenOf);
    const reviewer = await reviewerToken(review, agencyId);
    await expectStatus(200, `/reviews/${review.id}/opinion`, reviewer, {
      json: { version: review.version, checklist: ALL_PASSED, documentsComplete: true, suspectedCrime: false, outcome: 'APPROVE', opinion: '经审核，事实清楚，证据确凿，适用依据正确，程序合法，同意作出决定。' },
    });
    const leader = await leaderToken(agencyId);
    const waiting = await untilStep(review.id, tokenOf, (r) => r.step === 'AwaitLeaderApproval', 'AwaitLeaderApproval');
    await expectStatus(200, `/reviews/${review.id}/approval`, leader, { json: { version: waiting.version, decision: 'APPROVE' } });
    await untilStep(review.id, tokenOf, (r) => r.status === 'PASSED', 'PASSED');
    const draft = await expectStatus<{ version: number }>(200, `/cases/${caseId}/decision`, tokenOf);
    const issued = await expectStatus<{ version: number; publicId: string }>(200, `/cases/${caseId}/decision/issue`, leader, { json: { version: draft.version } });
    return { caseId, caseNo: review.caseNo, publicId: issued.publicId, version: issued.version };
  }

  return { call, expectStatus, token, untilStep, demoCase, serveNoticeAndWaive, submitForReview, reviewerToken, reviewAwaitingOpinion, leaderToken, issuedDecision };
}

export type DemoFlows = ReturnType<typeof demoFlows>;
