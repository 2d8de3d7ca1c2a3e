/**
 * The decision draft on the case page (issue 16 point 2; N12, L3): the form's values as typed, the
 * body of PUT /cases/{id}/decision built from them, and the words around it. The rules are the API's
 * (shared/domain/decision.ts decisionDraftBody); this module only keeps the form from offering what the
 * schema refuses outright (a general-procedure penalty's 决定书 is generated at issue, so no number or
 * text is asked for then). The label maps are restated here because decision.ts loads zod; the unit
 * test holds them equal to the domain's.
 */
import { PENALTY_TYPE_LABELS } from '../../../shared/domain/penalty-labels.ts';
import type { paths } from '../api/schema.d.ts';

/** PUT /cases/{id}/decision's body, from the API's document. */
export type DraftBody = paths['/cases/{id}/decision']['put']['requestBody']['content']['application/json'];

export const PENALTY_LABELS: Readonly<Record<string, string>> = PENALTY_TYPE_LABELS;
export const PENALTY_CODES: readonly string[] = Object.keys(PENALTY_TYPE_LABELS);

export const DISCRETION_CODES = ['LIGHTER', 'GENERAL', 'HEAVIER', 'MITIGATED'] as const;
export const DISCRETION_LABELS: Record<(typeof DISCRETION_CODES)[number], string> = { LIGHTER: '从轻处罚', GENERAL: '一般处罚', HEAVIER: '从重处罚', MITIGATED: '减轻处罚' };
/** What each level means under the bureau's discretion benchmark (行政处罚法第三十二条、第三十三条). */
export const DISCRETION_HINTS: Record<(typeof DISCRETION_CODES)[number], string> = {
  LIGHTER: '在法定处罚种类和幅度内选择较轻的处罚，适用于主动消除或减轻危害后果等情形',
  GENERAL: '在法定处罚幅度的中间档次确定处罚，无从轻、从重或减轻情节',
  HEAVIER: '在法定处罚种类和幅度内选择较重的处罚，适用于危害后果严重、屡查屡犯等情形',
  MITIGATED: '在法定处罚幅度的最低限以下处罚；减轻处罚的决定须经法制审核',
};

export const PROCEDURE_LABELS: Record<string, string> = { GENERAL: '一般程序', SIMPLE: '简易程序（当场处罚）' };

/** The form's fields, as the API's `details[].path` names them. */
export const DRAFT_FIELDS = [
  'kind',
  'procedure',
  'conclusion',
  'penalties',
  'fine',
  'confiscatedValue',
  'violationType',
  'legalBasis',
  'facts',
  'discretion',
  'majorPublicInterest',
  'complex',
  'hearingHeld',
  'decisionNo',
  'documentText',
  'decisionDate',
] as const;

/** What the officer types: strings and flags, kept in sessionStorage as they are. */
export interface DraftForm {
  kind: string;
  procedure: string;
  conclusion: string;
  penalties: string[];
  fine: string;
  confiscatedValue: string;
  violationType: string;
  legalBasis: string;
  facts: string;
  discretion: string;
  majorPublicInterest: boolean;
  complex: boolean;
  hearingHeld: boolean;
  decisionNo: string;
  documentText: string;
  decisionDate: string;
}

/** The draft as the API keeps it (GET /cases/{id}/decision `draft`). */
export interface SavedDraft {
  readonly kind: string;
  readonly procedure: string;
  readonly conclusion: string;
  readonly penalties?: readonly string[];
  readonly fine?: string;
  readonly confiscatedValue?: string;
  readonly violationType?: string;
  readonly legalBasis: string;
  readonly facts: string;
  readonly discretion?: string;
  readonly majorPublicInterest?: boolean;
  readonly complex?: boolean;
  readonly hearingHeld?: boolean;
  readonly decisionNo?: string;
  readonly documentText?: string;
  readonly decisionDate: string;
}

export interface ReviewScope {
  readonly inScope: boolean;
  readonly matched: readonly { readonly rule: string; readonly label: string }[];
  readonly collectiveDiscussion: boolean;
}

/** GET /cases/{id}/decision, the fields the page uses. */
export interface DecisionRecord {
  readonly status: string;
  readonly version: number;
  readonly draft: SavedDraft;
  readonly scope: ReviewScope;
  /** The 缴款识别码 of an issued general-procedure penalty (P5). */
  readonly paymentReference?: string;
}

/** What the case and its power-list item give a new draft. */
export interface CaseBasis {
  readonly enforcementType: string;
  readonly powerName: string;
  readonly summary: string;
  readonly filingDate: string;
  /** The power item's 设定依据, when it could be read. */
  readonly legalBasis?: string;
}

/** A new draft from the case: its kind, facts and legal basis; a penalty by the general procedure. */
export function draftFromCase(c: CaseBasis, today: string): DraftForm {
  const penalty = c.enforcementType === 'PENALTY';
  return {
    kind: c.enforcementType,
    procedure: penalty ? 'GENERAL' : 'SIMPLE',
    conclusion: '',
    penalties: [],
    fine: '0',
    confiscatedValue: '0',
    violationType: penalty ? c.powerName : '',
    legalBasis: c.legalBasis ?? '',
    facts: c.summary,
    discretion: 'GENERAL',
    majorPublicInterest: false,
    complex: false,
    hearingHeld: false,
    decisionNo: '',
    documentText: '',
    decisionDate: today < c.filingDate ? c.filingDate : today,
  };
}

/** The saved draft, as the form shows it. */
export function draftFromSaved(d: SavedDraft): DraftForm {
  return {
    kind: d.kind,
    procedure: d.procedure,
    conclusion: d.conclusion,
    penalties: [...(d.penalties ?? [])],
    fine: d.fine ?? '0',
    confiscatedValue: d.confiscatedValue ?? '0',
    violationType: d.violationType ?? '',
    legalBasis: d.legalBasis,
    facts: d.facts,
    discretion: d.discretion ?? 'GENERAL',
    majorPublicInterest: d.majorPublicInterest ?? false,
    complex: d.complex ?? false,
    hearingHeld: d.hearingHeld ?? false,
    decisionNo: d.decisionNo ?? '',
    documentText: d.documentText ?? '',
    decisionDate: d.decisionDate,
  };
}

/** A general-procedure penalty: its 决定书 is generated and numbered at issue (P7), after a prior notice (P1). */
export const documentGenerated = (f: Pick<DraftForm, 'kind' | 'procedure'>): boolean => f.kind === 'PENALTY' && f.procedure === 'GENERAL';

/** Amounts as the API takes them: `1,000.50` and `１０００` become `1000.50` and `1000`; empty is 0. */
export function yuanText(v: string): string {
  const t = v.replace(/[\uFF10-\uFF19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/[,，\s]/g, '').replace('．', '.');
  return t === '' ? '0' : t;
}

/** PUT /cases/{id}/decision's body: optional texts left out when empty, the document fields only where the schema wants them. */
export function draftBody(f: DraftForm, version: number): DraftBody {
  const generated = documentGenerated(f);
  const penalty = f.kind === 'PENALTY';
  return {
    version,
    // The choices come from the API's own lists; a stale draft's value is the API's to refuse.
    kind: f.kind as DraftBody['kind'],
    procedure: f.procedure as DraftBody['procedure'],
    conclusion: f.conclusion.trim(),
    penalties: (penalty ? f.penalties : []) as DraftBody['penalties'],
    fine: penalty ? yuanText(f.fine) : '0',
    confiscatedValue: penalty ? yuanText(f.confiscatedValue) : '0',
    ...(f.violationType.trim() ? { violationType: f.violationType.trim() } : {}),
    legalBasis: f.legalBasis,
    facts: f.facts,
    discretion: f.discretion as DraftBody['discretion'],
    hearingHeld: f.hearingHeld,
    majorPublicInterest: f.majorPublicInterest,
    complex: f.complex,
    ...(!generated && f.decisionNo.trim() ? { decisionNo: f.decisionNo.trim() } : {}),
    ...(!generated && f.documentText.trim() ? { documentText: f.documentText } : {}),
    decisionDate: f.decisionDate,
  };
}

/** The penalty types with one toggled. */
export const togglePenalty = (penalties: readonly string[], code: string, on: boolean): string[] =>
  on ? PENALTY_CODES.filter((p) => p === code || penalties.includes(p)) : penalties.filter((p) => p !== code);

/** Whether the saved draft needs legal review, and why (the API's review scope, L3 N8 N10). */
export function scopeText(scope: ReviewScope, status = 'DRAFT'): string {
  if (!scope.inScope) return status === 'DRAFT' ? '不属于法制审核范围：可由负责人直接作出决定。' : '不属于法制审核范围。';
  const why = `（${scope.matched.map((m) => m.label).join('、')}）`;
  if (status === 'IN_REVIEW') return `属于法制审核范围${why}：法制审核中，审核期间不能修改草稿。`;
  if (status !== 'DRAFT') return `属于法制审核范围${why}，已通过法制审核。`;
  return `须经法制审核后方可作出决定${why}${scope.collectiveDiscussion ? '；并须经负责人集体讨论' : ''}。`;
}

/** The decision statuses in which the handling officer may still change the draft. */
export const EDITABLE_STATUSES: readonly string[] = ['DRAFT', 'REVIEW_PASSED'];
