/**
 * Field devices (执法记录仪, recorders, officers' phones) that upload evidence straight to S3 (R3, R4).
 * A device belongs to an agency and may be assigned to an officer; a revoked device is refused.
 */
import * as z from './z.ts';
import { agencyId } from './agency.ts';
import { versionNo } from './numbers.ts';
import { entityRef, multiLineText, singleLineText } from './text.ts';

export const DEVICE_KINDS = ['BODY_CAMERA', 'RECORDER', 'PHONE', 'OTHER'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const DEVICE_KIND_LABELS: Record<DeviceKind, string> = {
  BODY_CAMERA: '执法记录仪',
  RECORDER: '录音录像设备',
  PHONE: '执法手机',
  OTHER: '其他设备',
};

export const registerDeviceBody = z.strictObject({
  serial: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9-]{3,63}$/, { message: '设备序列号应为 4–64 位字母、数字或连字符' })
    .meta({ description: '设备序列号' }),
  model: singleLineText({ min: 2, max: 60 }).meta({ description: '型号' }),
  kind: z.enum(DEVICE_KINDS),
  agencyId,
  assignedOfficerId: entityRef.optional().meta({ description: '配发给的执法人员' }),
});
export type RegisterDeviceBody = z.infer<typeof registerDeviceBody>;

export const revokeDeviceBody = z.strictObject({
  version: versionNo,
  reason: multiLineText({ min: 2, max: 500 }).meta({ description: '停用原因（遗失、损坏、报废……）' }),
});

export interface Device extends RegisterDeviceBody {
  readonly id: string;
  readonly status: 'ACTIVE' | 'REVOKED';
  readonly revokedAt?: string;
  readonly revokeReason?: string;
  /** OAuth client of the device's credentials (Cognito app client in AWS). */
  readonly clientId?: string;
  readonly registeredBy: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}
