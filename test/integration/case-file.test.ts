/**
 * The electronic case file (电子案卷, issue 15 point 8, P8) through the HTTP API: a general-procedure
 * penalty with its notice, service receipt and decision document, and one sealed evidence item →
 * file.pdf (cover, contents, the documents, evidence list, record, back sheet; the page count adds up,
 * the contents name every document number) and file.zip (the originals byte for byte, the case-file PDF,
 * manifest.json and a signature that verifies with the published key and fails on a changed manifest).
 */
import { createHash, randomUUID, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '../../shared/aws/dynamodb.ts';
import { unzipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { getDocumentProxy } from 'unpdf';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { startApi, uniqueId, type TestApi } from './helpers.ts';
import { issuedFine, setUpAgency } from './penalty-fixture.ts';

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let stranger: string;
let agencyId: string;
let caseId: string;
const officerIds: string[] = [];
const evidenceId = randomUUID();
const evidenceSha = createHash('sha256').update('sealed evidence').digest('hex');

interface DocumentView {
  id: string;
  type: string;
  title: string;
  documentNo: string;
  sha256: string;
}
interface Manifest {
  format: string;
  case: { id: string; caseNo: string; decisionNo: string | null; closedOn: string | null; status: string };
  closed: boolean;
  note: string | null;
  exportedBy: { name: string };
  documents: { name: string; documentId: string; documentNo: string; sha256: string; bytes: number }[];
  evidence: { id: string; objectKey: string; objectVersionId: string | null; sha256: string; sizeBytes: number }[];
  contentsSha256: string;
  files: { name: string; sha256: string; bytes: number }[];
  signature: { keyId: string };
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const get = (path: string, token: string) => fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

async function pdfText(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join('').replace(/\s+/g, ''));
  }
  return pages;
}

beforeAll(async () => {
  api = await startApi();
  const a = await setUpAgency(api, 'file');
  ({ agencyId, admin, officer, leader } = a);
  officerIds.push(...a.officerIds);
  const other = uniqueId('other');
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: other, name: `他局${other}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  stranger = await api.token(['leader'], { name: '他局负责人', agencyId: other });
  // A general-procedure fine through notice, waiver, review test double and issue: 告知书, 送达回证, 决定书.
  caseId = (await issuedFine(api, a, '5000.00', { filing: '2026-10-08', notice: '2026-11-02', decision: '2026-11-20' })).caseId;
  const caseNo = (await api.fetchJson<{ case: { caseNo: string } }>(`/cases/${caseId}`, { token: officer })).body.case.caseNo;

  // A sealed evidence record as the seal function leaves it (the object itself is not exported).
  const capturedAt = '2026-10-09T02:00:00.000Z';
  await documentClient().send(
    new PutCommand({
      TableName: tableName('Cases'),
      Item: {
        pk: `EVIDENCE#${evidenceId}`,
        sk: 'EVIDENCE',
        entity: 'Evidence',
        gsi1pk: `CASE#${caseId}#EVIDENCE`,
        gsi1sk: `${capturedAt}#${evidenceId}`,
        id: evidenceId,
        caseId,
        caseNo,
        agencyId,
        mediaType: 'PHOTO',
        fileName: 'shelf.jpg',
        contentType: 'image/jpeg',
        sizeBytes: 15,
        sha256: evidenceSha,
        capturedAt,
        capturePlace: { text: '当事人经营场所货架' },
        collectorOfficerId: officerIds[0],
        collectorName: '承办1',
        proves: '货架上陈列超过保质期的食品',
        deviceId: 'dev-1',
        deviceSerial: 'SN-1',
        objectKey: `evidence/${caseId}/${evidenceId}`,
        objectVersionId: 'v-1',
        partSize: 15,
        partCount: 1,
        status: 'SEALED',
        sealedAt: '2026-10-09T02:05:00.000Z',
        version: 3,
        createdAt: capturedAt,
        updatedAt: capturedAt,
      },
    }),
  );
}, 120_000);
afterAll(async () => api.stop());

const documentsOfCase = async () => (await api.fetchJson<{ items: DocumentView[] }>(`/cases/${caseId}/documents`, { token: officer })).body.items;

describe('the case file PDF', () => {
  it('is cover + contents + every document + evidence list + record + back sheet, and names each document number', async () => {
    const docs = await documentsOfCase();
    expect(docs.map((d) => d.type).sort()).toEqual(['PENALTY_DECISION', 'PENALTY_NOTICE', 'SERVICE_RECEIPT']);
    let documentPages = 0;
    for (const d of docs) {
      const one = Buffer.from(await (await get(`/cases/${caseId}/documents/${d.id}`, officer)).arrayBuffer());
      documentPages += (await PDFDocument.load(one)).getPageCount();
    }

    const res = await get(`/cases/${caseId}/file.pdf`, officer);
    expect(res.status, res.status === 200 ? '' : await res.text()).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-case-closed')).toBe('false');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256(pdf)).toBe(res.headers.get('x-content-sha256'));
    const pages = (await PDFDocument.load(pdf)).getPageCount();
    // Cover 1, contents 1 (six rows), evidence list 1, record 1, back sheet 1.
    expect(pages).toBe(1 + 1 + documentPages + 1 + 1 + 1);
    expect(res.headers.get('x-case-file-pages')).toBe(String(pages));

    const text = await pdfText(pdf);
    expect(text[0]).toContain('案卷封面');
    expect(text[0]).toContain('未结案（导出时案件尚未结案）');
    expect(text[0]).toContain(`共${pages}页`);
    expect(text[1]).toContain('卷内文件目录');
    for (const d of docs) expect(text[1], d.documentNo).toContain(d.documentNo.replace(/\s+/g, ''));
    const tail = text.slice(-3);
    expect(tail[0]).toContain('证据清单');
    expect(tail[0]).toContain(evidenceSha);
    expect(tail[0]).toContain('货架上陈列超过保质期的食品');
    expect(tail[1]).toContain('案件过程记录');
    expect(tail[2]).toContain('备考表');
    expect(tail[2]).toContain('未结案');
  });

  it('is refused to another agency\'s staff', async () => {
    expect((await get(`/cases/${caseId}/file.pdf`, stranger)).status).toBe(403);
    expect((await get(`/cases/${caseId}/file.zip`, stranger)).status).toBe(403);
  });
});

describe('the case file zip', () => {
  it('holds the originals as recorded, the PDF, and a manifest whose signature verifies with the published key', async () => {
    const res = await get(`/cases/${caseId}/file.zip`, leader);
    expect(res.status, res.status === 200 ? '' : await res.text()).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const entries = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const names = Object.keys(entries);
    expect(names).toContain('manifest.json');
    expect(names).toContain('manifest.sig');
    expect(names).toContain('case-file.pdf');

    const manifestBytes = entries['manifest.json']!;
    const manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as Manifest;
    expect(manifest).toMatchObject({ format: 'case-file/1', closed: false, note: '未结案（导出时案件尚未结案）', case: { id: caseId, status: 'DECIDED', closedOn: null }, exportedBy: { name: '负责人' } });
    expect(manifest.case.decisionNo).toMatch(/^测市监处罚〔2026〕\d+号$/);

    // Every original byte for byte as recorded, under its number-based name.
    const docs = await documentsOfCase();
    expect(manifest.documents.map((d) => d.documentId).sort()).toEqual(docs.map((d) => d.id).sort());
    for (const d of docs) {
      const listed = manifest.documents.find((m) => m.documentId === d.id)!;
      expect(listed.name).toMatch(/^documents\/\d{3}-.+\.pdf$/);
      expect(listed.name).toContain(d.documentNo);
      expect(listed.sha256).toBe(d.sha256);
      expect(sha256(entries[listed.name]!)).toBe(d.sha256);
    }
    // Every entry but the manifest and its signature, with its hash and size.
    expect(manifest.files.map((f) => f.name).sort()).toEqual(names.filter((n) => !n.startsWith('manifest.')).sort());
    for (const f of manifest.files) expect([sha256(entries[f.name]!), entries[f.name]!.length]).toEqual([f.sha256, f.bytes]);
    // Evidence is listed (key, version, hash), not copied.
    expect(manifest.evidence).toEqual([expect.objectContaining({ id: evidenceId, objectKey: `evidence/${caseId}/${evidenceId}`, objectVersionId: 'v-1', sha256: evidenceSha, sizeBytes: 15 })]);
    expect(names.some((n) => n.includes(evidenceId))).toBe(false);
    // The PDF inside prints the contents' hash on its back sheet.
    const back = (await pdfText(entries['case-file.pdf']!)).at(-1)!;
    expect(back).toContain(manifest.contentsSha256);

    const sig = JSON.parse(Buffer.from(entries['manifest.sig']!).toString('utf8')) as { keyId: string; algorithm: string; value: string };
    const key = await api.fetchJson<{ keyId: string; pem: string }>('/public/audit/key');
    expect(sig.keyId).toBe(key.body.keyId);
    expect(manifest.signature.keyId).toBe(key.body.keyId);
    const check = (message: Uint8Array) => verify('sha256', message, { key: key.body.pem, dsaEncoding: 'der' }, Buffer.from(sig.value, 'base64'));
    expect(check(manifestBytes)).toBe(true);
    const tampered = Buffer.from(Buffer.from(manifestBytes).toString('utf8').replace('"closed": false', '"closed": true'));
    expect(tampered.equals(Buffer.from(manifestBytes))).toBe(false);
    expect(check(tampered)).toBe(false);
  });
});

describe('a case file larger than a Lambda answer may carry', () => {
  it('is stored under documents/exports/ and answered with a 303 to a short-lived link that serves the same bytes', async () => {
    const { exportCaseFileZip } = await import('../../shared/services/case-file.ts');
    const { requireCase } = await import('../../shared/services/cases.ts');
    const c = await requireCase(caseId);
    // Any export is "too large" with a limit of one byte: the path a 70-document case takes.
    const out = await exportCaseFileZip({ identity: { sub: 'leader-1', name: '负责人', groups: ['leader'], agencyId: c.agencyId }, requestId: uniqueId('r') }, c, 1);
    expect(out.body.length).toBe(0);
    expect(out.url).toMatch(new RegExp(`/documents/exports/${caseId}/${out.sha256}\\.zip\\?`));
    const stored = await fetch(out.url!);
    expect(stored.status).toBe(200);
    const bytes = Buffer.from(await stored.arrayBuffer());
    expect(sha256(bytes)).toBe(out.sha256);
    expect(Object.keys(unzipSync(new Uint8Array(bytes)))).toContain('manifest.json');
  });
});
