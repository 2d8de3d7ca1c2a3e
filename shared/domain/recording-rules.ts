/**
 * The audio/video item list (音像记录事项清单, R3, R5, N7): which acts need which recordings, as data,
 * and which acts of a case still lack the sealed evidence they need. Pure; the evidence issue wires
 * it to `GET /cases/{id}/recording-gaps` and to the review and issue checks.
 */
import * as z from './z.ts';
import { ACT_LABELS, ACT_TYPES, SERVICE_METHODS } from './case.ts';
import type { ActType } from './case.ts';
import type { MEDIA_TYPES } from './evidence.ts';
import { multiLineText } from './text.ts';

export const RECORDING_REQUIREMENTS = ['FULL_VIDEO', 'PHOTO_AUDIO_OR_VIDEO'] as const;
export type RecordingRequirement = (typeof RECORDING_REQUIREMENTS)[number];

export const REQUIREMENT_LABELS: Record<RecordingRequirement, string> = {
  FULL_VIDEO: '全程录像',
  PHOTO_AUDIO_OR_VIDEO: '拍照、录音或录像',
};

export const recordingRules = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        actType: z.enum(ACT_TYPES),
        /** For SERVICE: only these methods (e.g. by leaving, by public notice); all when absent. */
        serviceMethods: z.array(z.enum(SERVICE_METHODS)).min(1).optional(),
        requires: z.enum(RECORDING_REQUIREMENTS),
      }),
    )
    .max(50),
});
export type RecordingRules = z.infer<typeof recordingRules>;

/** R3 and N7 (程序规定 Art 44) defaults; hearing and service as the plan lists them "as needed". */
export const DEFAULT_RECORDING_RULES: RecordingRules = {
  rules: [
    { actType: 'SEIZURE', requires: 'FULL_VIDEO' },
    { actType: 'SEALING', requires: 'FULL_VIDEO' },
    { actType: 'INSPECTION', requires: 'PHOTO_AUDIO_OR_VIDEO' },
    { actType: 'QUESTIONING', requires: 'PHOTO_AUDIO_OR_VIDEO' },
    { actType: 'SAMPLING', requires: 'PHOTO_AUDIO_OR_VIDEO' },
    { actType: 'PRESERVATION_REGISTRATION', requires: 'PHOTO_AUDIO_OR_VIDEO' },
    { actType: 'HEARING', requires: 'PHOTO_AUDIO_OR_VIDEO' },
    { actType: 'SERVICE', serviceMethods: ['BY_LEAVING', 'BY_PUBLIC_NOTICE'], requires: 'PHOTO_AUDIO_OR_VIDEO' },
  ],
};

export interface ActForRecording {
  readonly id: string;
  readonly type: ActType;
  readonly at: string;
  readonly serviceMethod?: string | undefined;
}

export interface EvidenceForRecording {
  readonly actId?: string | undefined;
  readonly mediaType: (typeof MEDIA_TYPES)[number];
  /** Only sealed evidence counts: an upload in progress or rejected proves nothing. */
  readonly status: string;
}

export interface RecordingGap {
  readonly actId: string;
  readonly actType: ActType;
  readonly at: string;
  readonly requires: RecordingRequirement;
  readonly message: string;
}

const satisfies = (requirement: RecordingRequirement, media: EvidenceForRecording['mediaType']) =>
  requirement === 'FULL_VIDEO' ? media === 'VIDEO' : media === 'VIDEO' || media === 'AUDIO' || media === 'PHOTO';

/** The requirement for an act, or undefined when it needs no recording. Full video wins over the rest. */
export function requirementFor(act: ActForRecording, rules: RecordingRules = DEFAULT_RECORDING_RULES): RecordingRequirement | undefined {
  const matching = rules.rules.filter((r) => r.actType === act.type && (!r.serviceMethods || (act.serviceMethod !== undefined && r.serviceMethods.includes(act.serviceMethod as (typeof SERVICE_METHODS)[number]))));
  if (matching.some((r) => r.requires === 'FULL_VIDEO')) return 'FULL_VIDEO';
  return matching.length > 0 ? 'PHOTO_AUDIO_OR_VIDEO' : undefined;
}

/** Acts that lack the sealed recording they need, in time order; explained exceptions are left out. */
export function recordingGaps(
  acts: readonly ActForRecording[],
  evidence: readonly EvidenceForRecording[],
  exceptions: ReadonlySet<string> = new Set(),
  rules: RecordingRules = DEFAULT_RECORDING_RULES,
): RecordingGap[] {
  const gaps: RecordingGap[] = [];
  // By instant, not by text: acts may carry different UTC offsets.
  for (const act of [...acts].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const requires = requirementFor(act, rules);
    if (!requires || exceptions.has(act.id)) continue;
    const ok = evidence.some((e) => e.actId === act.id && e.status === 'SEALED' && satisfies(requires, e.mediaType));
    if (!ok) gaps.push({ actId: act.id, actType: act.type, at: act.at, requires, message: `${ACT_LABELS[act.type]}须有${REQUIREMENT_LABELS[requires]}的音像记录（已封存），目前没有` });
  }
  return gaps;
}

/** An admin's explained exception: this act may stand without the recording it would need (R5). */
export const recordingExceptionBody = z.strictObject({
  actId: z.uuid({ message: '执法行为编号（actId）应为 UUID' }),
  reason: multiLineText({ min: 10, max: 1000, label: '情况说明' })
    .meta({ description: '未能音像记录的情况说明' }),
});
export type RecordingExceptionBody = z.infer<typeof recordingExceptionBody>;

export interface RecordingException extends RecordingExceptionBody {
  readonly caseId: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}
