/**
 * The penalty documents of a case (P7): each gets the next number of its agency, type and year, is
 * filled from a versioned template, rendered to PDF, stored, and recorded with its SHA-256 in the same
 * transaction as the step that made it (the notice, a service…). Numbers are never reused: the counter
 * only moves forward, and only in the transaction that records the document.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AuditEvent, AuditEventInput } from '../domain/audit.ts';
import { DOCUMENT_SETTINGS } from '../domain/agency.ts';
import type { Agency } from '../domain/agency.ts';
import type { Case } from '../domain/case.ts';
import { yearOf } from '../domain/dates.ts';
import { BusinessRuleError, NotFoundError } from '../domain/errors.ts';
import type { CaseDocument } from '../domain/procedure.ts';
import { DEFAULT_DOCUMENT_NO_FORMAT, formatDocumentNo } from '../documents/number.ts';
import { documentPlainText, fillDocument, MissingDocumentFieldsError } from '../documents/fill.ts';
import { templateOf } from '../documents/templates.ts';
import type { DocumentFields, DocumentType, FilledDocument } from '../documents/types.ts';
import { documentObjectKey, getDocumentFile, putDocumentFile } from '../aws/documents-bucket.ts';
import * as store from '../store/cases.ts';
import { commit } from '../store/transact.ts';
import type { Write } from '../store/transact.ts';
import { commitContext } from './context.ts';
import { withNextNumber } from './numbering.ts';
import type { ActionContext } from './context.ts';

const MAX_NUMBERING_ATTEMPTS = 50;

/** 422 naming the agency settings the documents need and the agency lacks (set them with PATCH /agencies/{id}). */
export function assertDocumentSettings(agency: Agency, needed: readonly (keyof typeof DOCUMENT_SETTINGS)[] = Object.keys(DOCUMENT_SETTINGS) as (keyof typeof DOCUMENT_SETTINGS)[]): void {
  const missing = needed.filter((k) => !agency[k]);
  if (missing.length) {
    throw new BusinessRuleError(
      'AGENCY_DOCUMENT_SETTINGS_MISSING',
      `执法主体 ${agency.name} 尚未设置制作文书所需的信息：${missing.map((k) => DOCUMENT_SETTINGS[k]).join('、')}（PATCH /agencies/${agency.id}）`,
      missing.map((k) => ({ path: `agency.${k}`, message: DOCUMENT_SETTINGS[k] })),
    );
  }
}

export interface NewDocument {
  readonly type: DocumentType;
  readonly date: string;
  readonly fields: DocumentFields;
  /** P4: the date by which the document must be served (listed by the daily check until it is). */
  readonly serviceDueDate?: string;
}

/**
 * Makes one document and commits it with the step's own writes and audit events. `writes` receives the
 * document (number included) and its plain text so the step can name and keep it.
 */
export async function commitWithDocument(
  ctx: ActionContext,
  c: Case,
  agency: Agency,
  spec: NewDocument,
  writes: (doc: CaseDocument, text: string) => Write[],
  events: (doc: CaseDocument) => AuditEventInput[],
  eventWrites?: (chained: readonly AuditEvent[]) => readonly Write[],
): Promise<CaseDocument> {
  assertDocumentSettings(agency, ['documentNoPrefix']);
  const template = templateOf(spec.type);
  let filledDoc: FilledDocument;
  try {
    filledDoc = fillDocument(template, { caseNo: c.caseNo, ...spec.fields, agencyName: agency.name });
  } catch (e) {
    if (e instanceof MissingDocumentFieldsError) {
      throw new BusinessRuleError('DOCUMENT_FIELDS_MISSING', `无法制作${template.title}：${e.message}`, e.fields.map((f) => ({ path: f, message: '缺少' })));
    }
    throw e;
  }
  const year = yearOf(spec.date);
  const id = randomUUID();
  const objectKey = documentObjectKey(c.id, id);
  // pdfkit and the font are loaded by the steps that make a document, never at cold start (issue 13).
  const { renderDocumentPdf } = await import('../documents/render.ts');
  // A number taken meanwhile by another document of the agency, type and year: the next one, drawn again.
  return withNextNumber(
    () => store.readDocumentCounter(agency.id, spec.type, year),
    async (seq) => {
      const documentNo = formatDocumentNo(agency.documentNoFormat ?? DEFAULT_DOCUMENT_NO_FORMAT, { prefix: agency.documentNoPrefix ?? '', word: template.numberWord, year, seq: seq + 1 });
      const pdf = await renderDocumentPdf(filledDoc, { documentNo, agencyName: agency.name, date: spec.date });
      const digest = createHash('sha256').update(pdf).digest();
      const doc: CaseDocument = {
        id,
        caseId: c.id,
        agencyId: c.agencyId,
        type: spec.type,
        title: template.title,
        documentNo,
        templateVersion: template.version,
        date: spec.date,
        sha256: digest.toString('hex'),
        bytes: pdf.length,
        objectKey,
        ...(spec.serviceDueDate ? { serviceDueDate: spec.serviceDueDate } : {}),
        createdAt: (ctx.now ?? new Date()).toISOString(),
        createdBy: ctx.identity.name,
      };
      // The file first: a record never names a file that is not there (a retry overwrites the same key).
      await putDocumentFile(objectKey, pdf, digest.toString('base64'));
      await commit(commitContext(ctx), [store.advanceDocumentCounter(agency.id, spec.type, year, seq), store.putDocument(doc), ...writes(doc, documentPlainText(filledDoc, documentNo, spec.date))], [
        { action: 'document.create', entityType: 'Case', entityId: c.id, change: { documentId: id, type: spec.type, documentNo, sha256: doc.sha256, templateVersion: template.version } },
        ...events(doc),
      ], eventWrites);
      return doc;
    },
    (e) => e instanceof store.DocumentNumberTakenError,
    MAX_NUMBERING_ATTEMPTS,
  );
}

export async function requireDocument(caseId: string, documentId: string): Promise<CaseDocument> {
  const d = await store.getDocument(caseId, documentId);
  if (!d) throw new NotFoundError(`案件 ${caseId} 没有文书 ${documentId}`, 'DOCUMENT_NOT_FOUND');
  return d;
}

/** The stored PDF, checked against the hash recorded when it was made. */
export async function documentFile(doc: CaseDocument): Promise<Buffer> {
  const bytes = await getDocumentFile(doc.objectKey);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== doc.sha256) throw new Error(`Document ${doc.id} (${doc.documentNo}) does not match its recorded SHA-256`);
  return bytes;
}
