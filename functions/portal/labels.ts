/** Words the portal shows for the API's codes (kept here: the portal imports no domain module). */
export const KIND_LABELS: Readonly<Record<string, string>> = {
  LICENSING: '行政许可',
  PENALTY: '行政处罚',
  COERCION: '行政强制',
  INSPECTION: '行政检查',
  OTHER: '其他行政行为',
};

export const PARTY_KIND_LABELS: Readonly<Record<string, string>> = {
  ORG: '单位',
  PERSON: '自然人',
  INDIVIDUAL_BUSINESS: '个体工商户',
};

/** Certificate statuses as the check shows them, with the class that colours them. */
export const CERTIFICATE_STATUS: Readonly<Record<string, { readonly label: string; readonly tone: 'ok' | 'warn' | 'bad' }>> = {
  VALID: { label: '有效', tone: 'ok' },
  SUSPENDED: { label: '暂扣', tone: 'warn' },
  REVOKED: { label: '吊销', tone: 'bad' },
  EXPIRED: { label: '已过期', tone: 'bad' },
};

export const label = (labels: Readonly<Record<string, string>>, code: string | undefined): string => (code === undefined ? '' : (labels[code] ?? code));

/** 2026-12-02 → 2026年12月2日 (how Chinese government notices write dates). */
export function chineseDate(iso: string | undefined): string {
  if (!iso || !/^\d{4}-\d{2}-\d{2}/.test(iso)) return iso ?? '';
  return `${iso.slice(0, 4)}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

/** "12500.00" → "12,500.00 元"; zero stays "0 元". */
export function yuan(amount: string | undefined): string {
  if (amount === undefined) return '';
  const [int = '0', dec = '00'] = amount.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return Number(amount) === 0 ? '0 元' : `${grouped}.${dec.padEnd(2, '0')} 元`;
}

/** Outcomes of a reconsideration or lawsuit (annual report, P6), in the API's order. */
export const REMEDY_OUTCOME_LABELS: Readonly<Record<string, string>> = {
  UPHELD: '维持',
  CHANGED: '变更',
  REVOKED: '撤销',
  CONFIRMED_UNLAWFUL: '确认违法',
  REMANDED: '责令重新作出',
};
