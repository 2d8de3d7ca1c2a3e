/**
 * 执法人员 (issue 16, point 5; D4, D5, S1, S2): how a certificate's state reads (expired, expiring soon),
 * the status-change and training forms as drafts and bodies, and what changed under a 409. Pure: the
 * section fetches, this decides. The statuses are the API's own (shared/domain/officer.ts, which carries
 * zod and stays out of the bundle; a unit test keeps them equal).
 */

export const CERTIFICATE_STATUS_LABELS: Readonly<Record<string, string>> = {
  VALID: '有效',
  SUSPENDED: '暂扣',
  REVOKED: '吊销',
  EXPIRED: '已过期',
};

/** The statuses an admin may set (EXPIRED follows from the date, it is never set). */
export const SETTABLE_STATUSES = ['VALID', 'SUSPENDED', 'REVOKED'] as const;

/** A certificate this close to its end is flagged, so renewal starts in time. */
export const EXPIRING_SOON_DAYS = 60;

/** The officer fields this page reads (GET /officers, GET /officers/{id}; phone and ID for admins only). */
export interface OfficerView {
  readonly id: string;
  readonly name: string;
  readonly agencyId: string;
  readonly certificateNo: string;
  readonly categories: readonly string[];
  readonly region: string;
  readonly certificateStatus: string;
  readonly effectiveCertificateStatus?: string;
  readonly validUntil: string;
  readonly legalQualification: boolean;
  readonly reviewer: boolean;
  readonly division?: string;
  readonly idNumber?: string;
  readonly phone?: string;
  readonly training: readonly { readonly year: number; readonly hours: number; readonly course: string; readonly completedOn: string }[];
  readonly trainingHoursByYear: readonly { readonly year: number; readonly hours: number; readonly meetsRequirement: boolean }[];
  readonly certificateHistory: readonly { readonly at: string; readonly from: string; readonly to: string; readonly reason: string; readonly by: string }[];
  readonly version: number;
}

/** Whole days from `from` to `to` (YYYY-MM-DD, calendar dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export type CertificateTone = 'valid' | 'expiring' | 'expired' | 'suspended' | 'revoked';

export interface CertificateState {
  readonly tone: CertificateTone;
  /** 有效 / 即将到期 / 已过期 / 暂扣 / 吊销 */
  readonly label: string;
  /** The validity in words: 有效期至 2028-12-31（还剩 30 天）. */
  readonly validity: string;
}

/** The certificate as the user should read it today: a suspension or revocation first, then the date. */
export function certificateState(o: Pick<OfficerView, 'certificateStatus' | 'validUntil'>, today: string): CertificateState {
  const left = daysBetween(today, o.validUntil);
  const validity = left < 0 ? `有效期至 ${o.validUntil}（已过期 ${-left} 天）` : left <= EXPIRING_SOON_DAYS ? `有效期至 ${o.validUntil}（还剩 ${left} 天）` : `有效期至 ${o.validUntil}`;
  if (o.certificateStatus === 'SUSPENDED') return { tone: 'suspended', label: '暂扣', validity };
  if (o.certificateStatus === 'REVOKED') return { tone: 'revoked', label: '吊销', validity };
  if (left < 0) return { tone: 'expired', label: '已过期', validity };
  if (left <= EXPIRING_SOON_DAYS) return { tone: 'expiring', label: '即将到期', validity };
  return { tone: 'valid', label: '有效', validity };
}

/** The year's training hours and whether they meet the annual minimum (S1); none recorded is 0 h, not met. */
export function trainingOfYear(o: Pick<OfficerView, 'trainingHoursByYear'>, year: number): { hours: number; met: boolean } {
  const y = o.trainingHoursByYear.find((t) => t.year === year);
  return { hours: y?.hours ?? 0, met: y?.meetsRequirement ?? false };
}

/** Training records, newest first. */
export const trainingNewestFirst = <T extends { completedOn: string; course: string }>(records: readonly T[]): T[] =>
  [...records].sort((a, b) => b.completedOn.localeCompare(a.completedOn) || a.course.localeCompare(b.course));

// ---------------------------------------------------------------- the forms

export interface StatusDraft {
  status: string;
  reason: string;
  validUntil: string;
}
export const emptyStatus = (): StatusDraft => ({ status: '', reason: '', validUntil: '' });
export const STATUS_FIELDS = ['status', 'reason', 'validUntil'] as const;

export function statusBody(d: StatusDraft, version: number) {
  // An empty choice is the API's to refuse, beside its field.
  const validUntil = d.validUntil.trim();
  return { version, status: d.status as 'VALID', reason: d.reason.trim(), ...(validUntil ? { validUntil } : {}) };
}

/** What the confirmation says will happen to the certificate. */
export function statusConfirmText(o: Pick<OfficerView, 'name' | 'certificateNo' | 'certificateStatus'>, d: StatusDraft): string {
  const from = CERTIFICATE_STATUS_LABELS[o.certificateStatus] ?? o.certificateStatus;
  const to = CERTIFICATE_STATUS_LABELS[d.status] ?? '未选择状态';
  const effect =
    d.status === 'VALID'
      ? '变更后可被指派办理案件。'
      : d.status === 'SUSPENDED'
        ? '暂扣期间不能被指派办理案件，门户网站核验显示“暂扣”。'
        : d.status === 'REVOKED'
          ? '吊销后不能再办理案件，门户网站核验显示“吊销”。'
          : '';
  const until = d.validUntil.trim() ? `，有效期改为 ${d.validUntil.trim()}` : '';
  return `${o.name}的执法证件（${o.certificateNo}）将由“${from}”变更为“${to}”${until}。${effect}变更原因和操作人记入证件变更记录。`;
}

export interface TrainingDraft {
  year: string;
  hours: string;
  course: string;
  completedOn: string;
}
export const emptyTraining = (today: string): TrainingDraft => ({ year: today.slice(0, 4), hours: '', course: '', completedOn: today });
export const TRAINING_FIELDS = ['year', 'hours', 'course', 'completedOn'] as const;

/** A number typed as text; anything else goes as typed, for the API to refuse beside its field. */
const numberOr = (v: string): number => {
  const t = v.trim();
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : (t as unknown as number);
};

export function trainingBody(d: TrainingDraft, version: number) {
  return { version, year: numberOr(d.year), hours: numberOr(d.hours), course: d.course.trim(), completedOn: d.completedOn };
}

// ---------------------------------------------------------------- the officer list

/** Officers by certificate number, so the list reads the same on every page. */
export const byCertificateNo = <T extends { certificateNo: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => a.certificateNo.localeCompare(b.certificateNo));

/** Page items appended to what was shown, without showing an officer twice. */
export function appendPage<T extends { id: string }>(shown: readonly T[], next: readonly T[]): T[] {
  const seen = new Set(shown.map((o) => o.id));
  return [...shown, ...next.filter((o) => !seen.has(o.id))];
}

// ---------------------------------------------------------------- what changed (409)

/** What differs between the officer the user saw and the one the API has now, in words. */
export function officerChanges(before: OfficerView, after: OfficerView): string[] {
  const out: string[] = [];
  const label = (s: string) => CERTIFICATE_STATUS_LABELS[s] ?? s;
  if (before.certificateStatus !== after.certificateStatus) out.push(`证件状态：${label(before.certificateStatus)} → ${label(after.certificateStatus)}`);
  for (const c of after.certificateHistory.slice(before.certificateHistory.length)) out.push(`${c.by} 变更证件状态（${label(c.from)} → ${label(c.to)}）：${c.reason}`);
  if (before.validUntil !== after.validUntil) out.push(`有效期至：${before.validUntil} → ${after.validUntil}`);
  for (const t of after.training.slice(before.training.length)) out.push(`新增培训记录：${t.course}（${t.hours} 学时，${t.completedOn}）`);
  if (before.name !== after.name) out.push(`姓名：${before.name} → ${after.name}`);
  if (before.certificateNo !== after.certificateNo) out.push(`证件编号：${before.certificateNo} → ${after.certificateNo}`);
  if (before.categories.join('、') !== after.categories.join('、')) out.push(`执法类别：${before.categories.join('、')} → ${after.categories.join('、')}`);
  if (out.length === 0 && before.version !== after.version) out.push(`执法人员信息已被他人更新（版本 ${before.version} → ${after.version}）`);
  return out;
}

// ---------------------------------------------------------------- registering and editing an officer

export interface OfficerDraft {
  name: string;
  agencyId: string;
  certificateNo: string;
  /** As typed: 食品安全、综合执法 */
  categories: string;
  region: string;
  validUntil: string;
  division: string;
  phone: string;
  idNumber: string;
  legalQualification: boolean;
  reviewer: boolean;
  /** One per new officer: a retry after a lost answer does not register the officer twice. */
  idempotencyKey: string;
}
export const OFFICER_FIELDS = ['name', 'agencyId', 'certificateNo', 'categories', 'region', 'validUntil', 'division', 'phone', 'idNumber', 'legalQualification', 'reviewer'] as const;

/** A blank form for a new officer, or the officer's own values to edit. */
export function officerDraft(o: OfficerView | undefined, defaults: { agencyId?: string; key?: string } = {}): OfficerDraft {
  return {
    name: o?.name ?? '',
    agencyId: o?.agencyId ?? defaults.agencyId ?? '',
    certificateNo: o?.certificateNo ?? '',
    categories: o ? o.categories.join('、') : '',
    region: o?.region ?? '',
    validUntil: o?.validUntil ?? '',
    division: o?.division ?? '',
    phone: o?.phone ?? '',
    idNumber: o?.idNumber ?? '',
    legalQualification: o?.legalQualification ?? false,
    reviewer: o?.reviewer ?? false,
    idempotencyKey: defaults.key ?? '',
  };
}

/** 食品安全、综合执法 (or commas, semicolons, spaces) as the API's list, without blanks or repeats. */
export const splitCategories = (text: string): string[] => [...new Set(text.split(/[、,，;；\s]+/).map((c) => c.trim()).filter(Boolean))];

/** POST /officers: the optional fields only when filled in; the API judges the rest beside each field. */
export function createBody(d: OfficerDraft) {
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  const body: {
    name: string;
    agencyId: string;
    certificateNo: string;
    categories: string[];
    region: string;
    validUntil: string;
    legalQualification: boolean;
    reviewer: boolean;
    division?: string;
    phone?: string;
    idNumber?: string;
  } = {
    name: d.name.trim(),
    agencyId: d.agencyId,
    certificateNo: d.certificateNo.trim(),
    categories: splitCategories(d.categories),
    region: d.region.trim(),
    validUntil: d.validUntil,
    legalQualification: d.legalQualification,
    reviewer: d.reviewer,
  };
  for (const k of ['division', 'phone', 'idNumber'] as const) {
    const v = opt(d[k]);
    if (v !== undefined) body[k] = v;
  }
  return body;
}

/**
 * PATCH /officers/{id}: only what differs from the officer as loaded; undefined when nothing does. The
 * validity is renewed through the status change (with its reason), not here; an optional field left
 * empty stays as it was (the API has no way to clear it).
 */
export function editBody(d: OfficerDraft, o: OfficerView) {
  const body: Record<string, unknown> & { version: number } = { version: o.version };
  const text = (k: 'name' | 'certificateNo' | 'region' | 'division' | 'phone' | 'idNumber') => {
    const v = d[k].trim();
    if (v !== '' && v !== (o[k] ?? '')) body[k] = v;
    else if (v === '' && (k === 'name' || k === 'certificateNo' || k === 'region') && o[k] !== '') body[k] = v;
  };
  for (const k of ['name', 'certificateNo', 'region', 'division', 'phone', 'idNumber'] as const) text(k);
  if (d.agencyId && d.agencyId !== o.agencyId) body.agencyId = d.agencyId;
  const categories = splitCategories(d.categories);
  if (categories.join('、') !== o.categories.join('、')) body.categories = categories;
  if (d.legalQualification !== o.legalQualification) body.legalQualification = d.legalQualification;
  if (d.reviewer !== o.reviewer) body.reviewer = d.reviewer;
  return Object.keys(body).length > 1 ? body : undefined;
}

/**
 * After a 409's reload: the fields the user left as they were follow the record as it is now, so
 * sending the edit does not put back what someone else changed; what the user typed stays.
 */
export function rebaseDraft(draft: OfficerDraft, before: OfficerView, after: OfficerView): OfficerDraft {
  const was = officerDraft(before);
  const now = officerDraft(after);
  const next = { ...draft };
  for (const f of OFFICER_FIELDS) if (draft[f] === was[f]) (next as Record<string, unknown>)[f] = now[f];
  return next;
}
