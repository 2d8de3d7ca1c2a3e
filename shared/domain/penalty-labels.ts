/**
 * The names of the penalty types (行政处罚法 Art 9, in the order of severity the annual report uses by
 * default): data only, so that the portal can show them without loading the domain's schemas.
 * shared/domain/decision.ts types them against PenaltyType.
 */
export const PENALTY_TYPE_LABELS = {
  WARNING: '警告',
  CRITICISM: '通报批评',
  FINE: '罚款',
  CONFISCATE_GAINS: '没收违法所得',
  CONFISCATE_PROPERTY: '没收非法财物',
  SUSPEND_PERMIT: '暂扣许可证件',
  DOWNGRADE_QUALIFICATION: '降低资质等级',
  REVOKE_PERMIT: '吊销许可证件',
  RESTRICT_ACTIVITY: '限制开展生产经营活动',
  ORDER_SUSPEND: '责令停产停业',
  ORDER_CLOSE: '责令关闭',
  RESTRICT_EMPLOYMENT: '限制从业',
  OTHER: '其他行政处罚',
} as const;
