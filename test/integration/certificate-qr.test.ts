/**
 * Issue 14: the QR code of an officer's certificate check, for printing. Staff fetch it as SVG or PNG;
 * it encodes `${PORTAL_URL}/verify/{certificateNo}`; who may fetch it is who may read the officer
 * (GET /officers/{id}, permission registry.read), and the answers for other agencies, other tokens and
 * unknown ids are the same as there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { config } from '../../shared/domain/config.ts';
import { startApi, uniqueId, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;
let officer: { id: string; certificateNo: string };
let agencyId: string;

interface Err {
  error: { code: string; message: string };
}

let certSeq = 0;
const newCertificateNo = () => `8${String(Date.now()).slice(-8)}${String(++certSeq).padStart(3, '0')}`;

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin'], { name: '管理员甲' });
  agencyId = uniqueId('qr');
  const agency = await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `测试市场监督管理局${agencyId}`, level: 'CITY', region: '测试市' } });
  expect(agency.status, agency.text).toBe(201);
  const created = await api.fetchJson<{ id: string; certificateNo: string }>('/officers', {
    token: admin,
    json: { name: '李证件', agencyId, certificateNo: newCertificateNo(), categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31' },
  });
  expect(created.status, created.text).toBe(201);
  officer = created.body;
});
afterAll(async () => api.stop());

/** The bytes of a response, as a printing client gets them (the helper reads text). */
async function fetchBytes(path: string, token: string, accept = 'image/png'): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}`, accept } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('GET /officers/{id}/certificate-qr.svg and .png', () => {
  it('the SVG: the verify URL of the portal, as an image to print', async () => {
    const staff = await api.token(['officer'], { agencyId });
    const res = await api.fetchJson(`/officers/${officer.id}/certificate-qr.svg`, { token: staff });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="${officer.certificateNo}.svg"`);
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const url = `${config().PORTAL_URL}/verify/${encodeURIComponent(officer.certificateNo)}`;
    expect(url).toMatch(/^http:\/\/localhost:\d+\/verify\/8\d{11}$/);
    expect(/<title>([^<]*)<\/title>/.exec(res.text)?.[1]).toBe(url);
    expect(res.text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    expect(res.text).not.toMatch(/<script|href=/);
  });

  it('the PNG: real bytes (not base64), a 1-bit grayscale PNG of the same symbol', async () => {
    const staff = await api.token(['leader'], { agencyId });
    const png = await fetchBytes(`/officers/${officer.id}/certificate-qr.png`, staff);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toBe(`inline; filename="${officer.certificateNo}.png"`);
    expect(png.headers.get('cache-control')).toBe('private, max-age=300');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const width = png.bytes.readUInt32BE(16);
    expect([png.bytes[24], png.bytes[25]]).toEqual([1, 0]);
    // 8 pixels per module, as many modules as the SVG's viewBox.
    const svg = await api.fetchJson(`/officers/${officer.id}/certificate-qr.svg`, { token: staff });
    expect(width).toBe(Number(/viewBox="0 0 (\d+)/.exec(svg.text)?.[1]) * 8);
    const idatLength = png.bytes.readUInt32BE(33);
    expect(png.bytes.subarray(37, 41).toString('latin1')).toBe('IDAT');
    expect(inflateSync(png.bytes.subarray(41, 41 + idatLength)).length).toBe((Math.ceil(width / 8) + 1) * width);
  });

  it('is for whoever may read the officer: staff of another agency as for GET /officers/{id} (registry.read is not agency-scoped)', async () => {
    const other = uniqueId('qr-other');
    const outsider = await api.token(['officer'], { agencyId: other });
    const read = await api.fetchJson(`/officers/${officer.id}`, { token: outsider });
    for (const kind of ['svg', 'png']) {
      const qr = await fetchBytes(`/officers/${officer.id}/certificate-qr.${kind}`, outsider, `image/${kind}`);
      expect(qr.status, kind).toBe(read.status);
    }
  });

  it('refuses as GET /officers/{id} refuses: no token, no role, no agency', async () => {
    const noRole = await api.token([], { agencyId });
    const noAgency = await api.token(['officer']);
    for (const token of [undefined, noRole, noAgency]) {
      const read = await api.fetchJson<Err>(`/officers/${officer.id}`, token === undefined ? {} : { token });
      expect(read.status).toBeGreaterThanOrEqual(401);
      for (const kind of ['svg', 'png']) {
        const qr = await api.fetchJson<Err>(`/officers/${officer.id}/certificate-qr.${kind}`, token === undefined ? {} : { token });
        expect([qr.status, qr.body.error.code], kind).toEqual([read.status, read.body.error.code]);
        expect(qr.headers.get('content-type')).toMatch(/^application\/json/);
      }
    }
  });

  it('an unknown officer: 404 in the error envelope, as for GET /officers/{id}', async () => {
    const staff = await api.token(['officer'], { agencyId });
    const id = uniqueId('nobody');
    const read = await api.fetchJson<Err>(`/officers/${id}`, { token: staff });
    expect(read.status).toBe(404);
    for (const kind of ['svg', 'png']) {
      const qr = await api.fetchJson<Err>(`/officers/${id}/certificate-qr.${kind}`, { token: staff });
      expect([qr.status, qr.body.error.code], kind).toEqual([404, read.body.error.code]);
      expect(qr.headers.get('content-type')).toMatch(/^application\/json/);
      expect(qr.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refuses query parameters (a scale or a size is not an option)', async () => {
    const staff = await api.token(['officer'], { agencyId });
    const res = await api.fetchJson<Err>(`/officers/${officer.id}/certificate-qr.png?scale=40`, { token: staff });
    expect(res.status).toBe(400);
  });
});
