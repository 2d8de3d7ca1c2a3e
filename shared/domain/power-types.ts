/** The five types of enforcement power (D2); a module of its own so every other domain module can use it. */
export const POWER_TYPES = ['LICENSING', 'PENALTY', 'COERCION', 'INSPECTION', 'OTHER'] as const;
export type PowerType = (typeof POWER_TYPES)[number];

export const POWER_TYPE_LABELS: Record<PowerType, string> = {
  LICENSING: '行政许可',
  PENALTY: '行政处罚',
  COERCION: '行政强制',
  INSPECTION: '行政检查',
  OTHER: '其他行政权力',
};

