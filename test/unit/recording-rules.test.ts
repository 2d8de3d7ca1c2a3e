import { describe, expect, it } from 'vitest';
import { DEFAULT_RECORDING_RULES, recordingGaps, recordingRules, requirementFor } from '../../shared/domain/recording-rules.ts';
import type { ActForRecording, EvidenceForRecording } from '../../shared/domain/recording-rules.ts';

const act = (id: string, type: ActForRecording['type'], at: string, serviceMethod?: string): ActForRecording => ({ id, type, at, ...(serviceMethod ? { serviceMethod } : {}) });
const sealed = (actId: string, mediaType: EvidenceForRecording['mediaType']): EvidenceForRecording => ({ actId, mediaType, status: 'SEALED' });

describe('the audio/video item list (R3, R5, N7)', () => {
  it('seizure and sealing need full video; inspection, questioning, sampling and preservation need photo, audio or video', () => {
    expect(requirementFor(act('a', 'SEIZURE', '2026-03-01T09:00:00+08:00'))).toBe('FULL_VIDEO');
    expect(requirementFor(act('a', 'SEALING', '2026-03-01T09:00:00+08:00'))).toBe('FULL_VIDEO');
    for (const type of ['INSPECTION', 'QUESTIONING', 'SAMPLING', 'PRESERVATION_REGISTRATION'] as const) {
      expect(requirementFor(act('a', type, '2026-03-01T09:00:00+08:00'))).toBe('PHOTO_AUDIO_OR_VIDEO');
    }
    expect(requirementFor(act('a', 'EXECUTION', '2026-03-01T09:00:00+08:00'))).toBeUndefined();
  });

  it('service needs a recording only by leaving or by public notice (as configured)', () => {
    expect(requirementFor(act('a', 'SERVICE', '2026-03-01T09:00:00+08:00', 'BY_LEAVING'))).toBe('PHOTO_AUDIO_OR_VIDEO');
    expect(requirementFor(act('a', 'SERVICE', '2026-03-01T09:00:00+08:00', 'IN_PERSON'))).toBeUndefined();
  });

  it('lists acts without the sealed recording they need, in time order; a photo does not satisfy full video', () => {
    const acts = [act('seize', 'SEIZURE', '2026-03-05T10:00:00+08:00'), act('inspect', 'INSPECTION', '2026-03-01T09:00:00+08:00'), act('ask', 'QUESTIONING', '2026-03-02T09:00:00+08:00')];
    const evidence: EvidenceForRecording[] = [sealed('seize', 'PHOTO'), sealed('ask', 'AUDIO'), { actId: 'inspect', mediaType: 'VIDEO', status: 'UPLOADING' }];
    const gaps = recordingGaps(acts, evidence);
    expect(gaps.map((g) => [g.actId, g.requires])).toEqual([
      ['inspect', 'PHOTO_AUDIO_OR_VIDEO'],
      ['seize', 'FULL_VIDEO'],
    ]);
    expect(gaps[1]?.message).toContain('全程录像');
    expect(recordingGaps(acts, [...evidence, sealed('seize', 'VIDEO'), sealed('inspect', 'PHOTO')])).toEqual([]);
  });

  it('an explained exception removes the gap; the rules are data that validate', () => {
    const acts = [act('seize', 'SEIZURE', '2026-03-05T10:00:00+08:00')];
    expect(recordingGaps(acts, [], new Set(['seize']))).toEqual([]);
    expect(recordingRules.parse(DEFAULT_RECORDING_RULES)).toEqual(DEFAULT_RECORDING_RULES);
    expect(recordingRules.safeParse({ rules: [{ actType: 'DANCING', requires: 'FULL_VIDEO' }] }).success).toBe(false);
    const noHearing = { rules: DEFAULT_RECORDING_RULES.rules.filter((r) => r.actType !== 'HEARING') };
    expect(requirementFor(act('h', 'HEARING', '2026-03-01T09:00:00+08:00'), noHearing)).toBeUndefined();
  });
});

describe('order of gaps', () => {
  it('sorts acts by instant, whatever UTC offset their times carry', () => {
    const gaps = recordingGaps(
      [
        { id: 'late', type: 'INSPECTION', at: '2026-03-03T09:00:00+08:00' },
        { id: 'later', type: 'INSPECTION', at: '2026-03-03T01:30:00Z' },
      ],
      [],
    );
    expect(gaps.map((g) => g.actId)).toEqual(['late', 'later']);
  });
});
