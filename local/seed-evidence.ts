/**
 * Demo evidence for local mode: a registered body camera and, for each demo case's act, a photo it
 * uploaded, verified and sealed through the same services a device's requests reach (start, PUT to the
 * presigned URL, complete, verify and seal). So the demo cases meet the recording rules (R3, R5) and
 * the evidence routes have something to show.
 */
import { createHash } from 'node:crypto';
import type { Device } from '#domain/device.ts';
import type { Identity } from '#domain/identity.ts';
import { DEVICE_UPLOAD_SCOPE } from '../shared/manifest.ts';
import { startUploadBodyAt } from '#domain/evidence.ts';
import { registerDevice } from '#services/registry.ts';
import { completeUpload, startUpload, verifyAndSeal } from '#services/evidence.ts';
import type { ActionContext } from '#services/context.ts';

export const DEMO_DEVICE_SERIAL = 'DEMO-CAM-0001';

export async function seedDemoDevice(ctx: ActionContext, officerId: string): Promise<Device> {
  return registerDevice(ctx, { serial: DEMO_DEVICE_SERIAL, model: '演示执法记录仪 DSJ-V9', kind: 'BODY_CAMERA', agencyId: 'sq-city', assignedOfficerId: officerId });
}

/** A small SVG "photo" naming the case: real bytes, real hash, sealed like any upload. */
function demoPhoto(caseNo: string, place: string): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"><rect width="640" height="360" fill="#dfe6ee"/>` +
      `<text x="24" y="60" font-size="28">演示现场照片</text><text x="24" y="110" font-size="20">${esc(caseNo)}</text>` +
      `<text x="24" y="150" font-size="20">${esc(place)}</text></svg>`,
    'utf8',
  );
}

export async function seedDemoPhoto(device: Device, input: { caseId: string; caseNo: string; actId: string; at: string; place: string; collectorOfficerId: string; proves: string }): Promise<void> {
  const identity: Identity = { sub: device.clientId ?? device.id, name: `设备 ${device.serial}`, groups: [], deviceClientId: device.clientId ?? '', scopes: [DEVICE_UPLOAD_SCOPE] };
  const bytes = demoPhoto(input.caseNo, input.place);
  const now = new Date();
  const body = startUploadBodyAt(now).parse({
    caseId: input.caseId,
    actId: input.actId,
    mediaType: 'PHOTO',
    fileName: '现场照片.svg',
    contentType: 'image/svg+xml',
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    capturedAt: input.at,
    capturePlace: { text: input.place },
    collectorOfficerId: input.collectorOfficerId,
    proves: input.proves,
  });
  const ticket = await startUpload(identity, 'seed', body, now);
  const part = ticket.parts[0];
  if (!part) throw new Error('No upload URL for the demo photo');
  const put = await fetch(part.url, { method: 'PUT', headers: ticket.headers ?? {}, body: bytes });
  if (!put.ok) throw new Error(`Demo photo upload failed: HTTP ${put.status}`);
  await completeUpload(identity, 'seed', ticket.uploadId, {});
  // Sealed now rather than by the object-created event, so the seed finishes with it done.
  await verifyAndSeal(`evidence/${input.caseId}/${ticket.evidenceId}`);
}
