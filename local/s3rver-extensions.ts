/**
 * The S3 operations evidence uploads need and s3rver 3.7.1 lacks, added to an S3rver instance as one
 * Koa middleware placed just before s3rver's router. Loaded by `s3rver-process.ts` on Node's type
 * stripping: erasable TypeScript only, relative imports with `.ts`, Node built-ins and s3rver itself.
 *
 * HTTP surface (path-style only; everything not listed passes to s3rver unchanged):
 *
 *   GET    /:bucket/:key?uploadId=X        ListParts (`max-parts` up to 1000, `part-number-marker`)
 *   DELETE /:bucket/:key?uploadId=X        AbortMultipartUpload
 *   POST   /:bucket/:key?uploadId=X        CompleteMultipartUpload, replacing s3rver's (see below)
 *   PUT    /:bucket/:key?uploadId=X&partNumber=N   UploadPart: checked here (upload exists for this key,
 *                                          1 <= N <= 10000), then stored by s3rver
 *   PUT|GET /:bucket/:key?retention        PutObjectRetention / GetObjectRetention
 *   PUT|GET /:bucket/:key?legal-hold       PutObjectLegalHold / GetObjectLegalHold
 *   PUT|GET /:bucket?object-lock           PutObjectLockConfiguration / GetObjectLockConfiguration: a
 *                                          bucket's default retention, given to every new object without
 *                                          explicit retention (as S3 does)
 *   POST   /:bucket?delete                 DeleteObjects, replacing s3rver's (per-key lock errors)
 *   DELETE /:bucket/:key, PUT /:bucket/:key (plain or copy)   refused while the object is locked;
 *                                          a copy's URL-encoded `x-amz-copy-source` is decoded fully
 *   GET|HEAD /:bucket/:key                 adds the x-amz-object-lock-* headers; fixes `Range: bytes=-N`
 *   POST|DELETE|GET /_local/event-subscriptions   object-created events to local subscribers (JSON)
 *
 * Why CompleteMultipartUpload is replaced and not just checked: s3rver trusts the part list, and a
 * part number that was never uploaded makes it open a missing file with no error handler, which
 * crashes the whole process (uncaught ENOENT). It also skips AWS's checks (InvalidPart on an ETag
 * mismatch, InvalidPartOrder, EntityTooSmall for parts under 5 MiB but the last) and reports the MD5 of
 * the whole object as the ETag, where AWS reports `md5(part digests)-N`. Code that passes here with
 * 1 MiB parts would fail on AWS; so this does what AWS does, and stores the AWS-style ETag.
 *
 * Object Lock is emulated as if every bucket had Object Lock enabled, without versions: state is a
 * JSON sidecar next to the object in s3rver's own layout (`<key>._S3rver_object-lock.json`), which
 * s3rver's listing ignores (it only reads `._S3rver_object` files) and which goes with the bucket.
 * Not a `<directory>/.object-lock/` tree: s3rver lists every directory under its root as a bucket.
 *
 * Events (stand-in for S3 -> Lambda notifications): `POST /_local/event-subscriptions` with
 * `{"url":"http://127.0.0.1:PORT/...","token":"..."}` subscribes (201; 200 when it replaced the token of
 * that url), `DELETE` with `{"url"}` unsubscribes (204, 404 if unknown), `GET` lists the urls (never the
 * tokens). Every ObjectCreated:* (Put, Post, Copy, CompleteMultipartUpload) is POSTed as
 * `{"Records":[<AWS S3 event record>]}` with `x-local-event-token`, after the S3 response, one retry
 * 200 ms later; a subscriber refusing connections twice in a row is dropped.
 *
 * Every write s3rver makes itself (PutObject, CopyObject, the browser-form POST to `/:bucket`) is also
 * checked against the lock inside s3rver's store, so a route the dispatch does not see cannot replace
 * a locked object either.
 *
 * Known gaps (not used by us): no ListMultipartUploads; `VersionId` is ignored everywhere;
 * `x-amz-checksum-*` / Content-MD5 are not verified (s3rver's behaviour; AWS answers BadDigest).
 * The lock checks on s3rver's own operations run before s3rver's authentication; our own operations
 * go through it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { S3EventRecord } from 'aws-lambda';
import type S3rver from 's3rver';

// ---------------------------------------------------------------------------------------------
// The parts of s3rver and Koa this file touches (the package ships no types)

interface KoaContext {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string | string[] | undefined>;
  readonly headers: IncomingHttpHeaders;
  readonly req: IncomingMessage;
  readonly ip: string;
  readonly origin: string;
  status: number;
  body: unknown;
  type: string;
  params?: Record<string, string>;
  set(field: string, value: string): void;
}
type Next = () => Promise<unknown>;
type Middleware = (ctx: KoaContext, next: Next) => Promise<unknown>;

interface FilesystemStore {
  getBucket(bucket: string): Promise<object | null>;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  existsObject(bucket: string, key: string): Promise<boolean>;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  deleteObject(bucket: string, key: string): Promise<void>;
  putObject(object: { bucket: string; key: string }): Promise<{ md5: string; size: number }>;
  copyObject(srcBucket: string, srcKey: string, destBucket: string, destKey: string, replacementMetadata?: unknown): Promise<Record<string, unknown>>;
  putObjectMultipart(
    bucket: string,
    uploadId: string,
    parts: ReadonlyArray<{ number: number; etag: string }>,
  ): Promise<{ md5: string; size: number }>;
}

interface S3rverInternals {
  middleware: unknown[];
  store: FilesystemStore;
  on(event: 'event', listener: (event: unknown) => void): unknown;
}

type S3ErrorInstance = Error & { code: string; status: number; expose: boolean };
type S3ErrorClass = new (code: string, message: string, detail?: Record<string, string | number>) => S3ErrorInstance;

// s3rver internals, so errors and authentication behave exactly like s3rver's own operations.
const requireS3rver = createRequire(import.meta.url);
const S3Error = requireS3rver('s3rver/lib/models/error.js') as S3ErrorClass;
const s3rverAuthentication = (requireS3rver('s3rver/lib/middleware/authentication.js') as () => Middleware)();
/** The query parameters s3rver's router dispatches on (`?acl`, `?uploadId`, ...): their union. */
const SUBRESOURCES = new Set<string>([
  ...(requireS3rver('s3rver/lib/controllers/bucket.js') as { METHODS: string[] }).METHODS,
  ...(requireS3rver('s3rver/lib/controllers/object.js') as { METHODS: string[] }).METHODS,
]);

// ---------------------------------------------------------------------------------------------
// Constants and options

const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const SUBSCRIPTIONS_PATH = '/_local/event-subscriptions';
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS_PER_PAGE = 1000;
const MAX_XML_BODY = 2 * 1024 * 1024; // DeleteObjects: 1000 keys of up to 1 KB each, plus markup
const LOCK_SIDECAR = 'object-lock.json';
/** A bucket's Object Lock configuration, next to its objects (`<bucket>/._S3rver_object-lock-configuration.json`). */
const BUCKET_LOCK_SIDECAR = 'object-lock-configuration.json';
/** s3rver's upload ids are 32 hex digits; anything outside this set never names an upload directory. */
const UPLOAD_ID = /^[A-Za-z0-9_-]{1,128}$/;
const RETRY_DELAY_MS = 200;
const DELIVERY_TIMEOUT_MS = 5000;

export interface S3rverExtensionsOptions {
  /** COMPLIANCE retention, in days from creation, given to every new object without explicit retention. */
  readonly defaultRetentionDays?: number | undefined;
  /** `awsRegion` of event records and the partition of bucket ARNs. */
  readonly region?: string;
  /** Operational messages (a dropped subscriber). Never given object keys or bodies. */
  readonly log?: (line: string) => void;
}

/** Reads `S3RVER_DEFAULT_RETENTION_DAYS`: unset or empty means none; anything but a positive number throws. */
export function defaultRetentionDaysFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const days = Number(value);
  if (!Number.isFinite(days) || days <= 0) {
    throw new Error(`S3RVER_DEFAULT_RETENTION_DAYS must be a positive number of days, got "${value}"`);
  }
  return days;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function s3Error(code: string, message: string, status: number, detail: Record<string, string | number> = {}): S3ErrorInstance {
  const error = new S3Error(code, message, detail);
  // Codes missing from s3rver's table (NoSuchObjectLockConfiguration, ...) would otherwise be 500s.
  error.status = status;
  error.expose = status < 500;
  return error;
}

const noSuchUpload = (uploadId: string): S3ErrorInstance =>
  s3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { UploadId: uploadId },
  );
const noSuchKey = (key: string): S3ErrorInstance => s3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
const malformedXml = (): S3ErrorInstance =>
  s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.', 400);
const invalidArgument = (message: string, name: string, value: string): S3ErrorInstance =>
  s3Error('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value });
const lockedError = (reason: string): S3ErrorInstance =>
  s3Error('AccessDenied', `Access Denied because object protected by object lock (${reason}).`, 403);

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[ch]};`);
}

function decodeXml(text: string): string {
  const cdata = /^<!\[CDATA\[([\s\S]*)\]\]>$/.exec(text);
  if (cdata) return cdata[1] ?? '';
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? '';
  });
}

/**
 * Inner XML of every `<tag>` element. A deliberately small reader for the flat request documents of
 * S3 (Retention, LegalHold, Delete, CompleteMultipartUpload): no nesting of the same tag, no prefixes.
 */
function xmlElements(xml: string, tag: string): string[] {
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}\\s*>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => match[1] ?? '');
}

/** Decoded, trimmed text of the first `<tag>` element, or undefined. */
function xmlText(xml: string, tag: string): string | undefined {
  const inner = xmlElements(xml, tag)[0];
  return inner === undefined ? undefined : decodeXml(inner.trim());
}

function hasRoot(xml: string, tag: string): boolean {
  return new RegExp(`<${tag}[\\s>]`).test(xml);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw s3Error('MaxMessageLengthExceeded', 'Your request was too big.', 400);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendXml(ctx: KoaContext, xml: string, status = 200): void {
  ctx.status = status;
  ctx.type = 'application/xml';
  // A string, so s3rver's own object-to-XML middleware leaves it alone.
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}

function sendJson(ctx: KoaContext, status: number, value: unknown): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(value);
}

const queryString = (query: KoaContext['query'], name: string): string | undefined => {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
};

/** Request headers with `x-amz-*` query parameters (presigned URLs) taking precedence, as s3rver does. */
function amzHeaders(ctx: KoaContext): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(ctx.headers)) {
    merged[name] = Array.isArray(value) ? value.join(',') : value;
  }
  for (const [name, value] of Object.entries(ctx.query)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-') && typeof value === 'string') merged[lower] = value;
  }
  return merged;
}

const delay = (ms: number): Promise<void> => new Promise((resolveDelay) => setTimeout(resolveDelay, ms));

/** Runs `task` after every earlier task with the same id: read-modify-write of one sidecar or upload. */
function createSerializer(): <T>(id: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(id: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(id) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(id, tail);
    try {
      return await run;
    } finally {
      if (tails.get(id) === tail) tails.delete(id);
    }
  };
}

/** S3 notification keys are form-URL-encoded (space as `+`), with `/` left as is. */
export function encodeEventKey(key: string): string {
  return new URLSearchParams([['k', key]]).toString().slice(2).replace(/%2F/gi, '/');
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

// ---------------------------------------------------------------------------------------------
// Object Lock state

type RetentionMode = 'COMPLIANCE' | 'GOVERNANCE';
type LegalHoldStatus = 'ON' | 'OFF';

interface LockState {
  retention?: { mode: RetentionMode; retainUntilDate: string };
  legalHold?: LegalHoldStatus;
}

interface BucketLockConfiguration {
  defaultRetention?: { mode: RetentionMode; days?: number; years?: number };
}

const isRetentionMode = (value: string | undefined): value is RetentionMode =>
  value === 'COMPLIANCE' || value === 'GOVERNANCE';
const isLegalHoldStatus = (value: string | undefined): value is LegalHoldStatus => value === 'ON' || value === 'OFF';

/** Why the object may not be deleted or overwritten now, or undefined when it may. */
function lockReason(state: LockState | undefined, now: number, bypassGovernance: boolean): string | undefined {
  if (state === undefined) return undefined;
  if (state.legalHold === 'ON') return 'legal hold';
  const retention = state.retention;
  if (retention && Date.parse(retention.retainUntilDate) > now) {
    if (retention.mode === 'GOVERNANCE' && bypassGovernance) return undefined;
    return `${retention.mode} retention until ${retention.retainUntilDate}`;
  }
  return undefined;
}

/** Lock settings requested through `x-amz-object-lock-*` headers (PutObject, CopyObject, CreateMultipartUpload). */
function requestedLock(headers: Record<string, string | undefined>, now: number): LockState | undefined {
  const mode = headers['x-amz-object-lock-mode'];
  const until = headers['x-amz-object-lock-retain-until-date'];
  const hold = headers['x-amz-object-lock-legal-hold'];
  if ((mode === undefined) !== (until === undefined)) {
    throw invalidArgument(
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
      'x-amz-object-lock-mode',
      mode ?? '',
    );
  }
  const state: LockState = {};
  if (mode !== undefined && until !== undefined) {
    if (!isRetentionMode(mode)) throw invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
    const date = new Date(until);
    if (Number.isNaN(date.getTime())) {
      throw invalidArgument('The retain until date is not valid.', 'x-amz-object-lock-retain-until-date', until);
    }
    if (date.getTime() <= now) {
      throw invalidArgument('The retain until date must be in the future!', 'x-amz-object-lock-retain-until-date', until);
    }
    state.retention = { mode, retainUntilDate: date.toISOString() };
  }
  if (hold !== undefined) {
    if (!isLegalHoldStatus(hold)) throw invalidArgument('Legal Hold must be either of \'ON\' or \'OFF\'', 'x-amz-object-lock-legal-hold', hold);
    state.legalHold = hold;
  }
  return state.retention || state.legalHold ? state : undefined;
}

// ---------------------------------------------------------------------------------------------
// The extension

interface ObjectTarget {
  readonly bucket: string;
  readonly key: string;
}

interface CreatedObject {
  readonly eventName: string;
  readonly bucket: string;
  readonly key: string;
  readonly size?: number | undefined;
  readonly eTag?: string | undefined;
  readonly sourceIp: string;
  readonly eventTime: string;
}

interface Subscriber {
  readonly url: string;
  readonly token: string;
  refusedInARow: number;
}

type DeliveryOutcome = 'delivered' | 'refused' | 'failed';

/**
 * Installs the extensions on an S3rver instance. Call before `run()`: Koa composes its middleware
 * when the server starts listening.
 */
export function installS3rverExtensions(server: S3rver, options: S3rverExtensionsOptions = {}): void {
  const internals = server as unknown as S3rverInternals;
  const stack = internals.middleware;
  const router: unknown = Array.isArray(stack) ? stack.at(-1) : undefined;
  if (typeof router !== 'function' || !('router' in router)) {
    throw new Error("s3rver-extensions: s3rver's router is not the last middleware; s3rver's internals changed");
  }
  const store = internals.store;
  const region = options.region ?? 'cn-north-1';
  const partition = partitionOf(region);
  const log = options.log ?? ((line: string) => console.error(`[s3rver-extensions] ${line}`));
  const defaultRetentionMs =
    options.defaultRetentionDays !== undefined ? options.defaultRetentionDays * 24 * 60 * 60 * 1000 : undefined;
  const serialized = createSerializer();
  const subscribers = new Map<string, Subscriber>();
  let sequence = 0;

  // --- object lock sidecars -------------------------------------------------------------------

  const lockPath = (t: ObjectTarget): string => store.getResourcePath(t.bucket, t.key, LOCK_SIDECAR);

  async function readLock(t: ObjectTarget): Promise<LockState | undefined> {
    try {
      return JSON.parse(await readFile(lockPath(t), 'utf8')) as LockState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async function writeLock(t: ObjectTarget, state: LockState): Promise<void> {
    const path = lockPath(t);
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, JSON.stringify(state));
    await rename(temporary, path);
  }

  const removeLock = (t: ObjectTarget): Promise<void> => rm(lockPath(t), { force: true });

  /**
   * Refuses a delete or overwrite of a locked object. Real S3 (versioned, as Object Lock requires)
   * would keep the locked version and add a delete marker or a new version instead; s3rver has no
   * versions, so refusing is the honest emulation: the locked bytes can never go away.
   * Lock state left from an expired retention or a released hold is removed, so it does not stick to
   * the next object stored under the same key.
   */
  async function guardReplace(t: ObjectTarget, bypassGovernance: boolean): Promise<void> {
    await serialized(lockPath(t), async () => {
      const state = await readLock(t);
      const reason = lockReason(state, Date.now(), bypassGovernance);
      if (reason !== undefined) throw lockedError(reason);
      if (state !== undefined) await removeLock(t);
    });
  }

  // --- bucket Object Lock configuration (a default retention per bucket) -------------------------

  const bucketLockPath = (bucket: string): string => store.getResourcePath(bucket, undefined, BUCKET_LOCK_SIDECAR);

  async function readBucketLock(bucket: string): Promise<BucketLockConfiguration | undefined> {
    try {
      return JSON.parse(await readFile(bucketLockPath(bucket), 'utf8')) as BucketLockConfiguration;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async function putBucketLock(ctx: KoaContext, bucket: string): Promise<void> {
    const xml = await readBody(ctx.req, MAX_XML_BODY);
    if (!hasRoot(xml, 'ObjectLockConfiguration') || xmlText(xml, 'ObjectLockEnabled') !== 'Enabled') throw malformedXml();
    const config: BucketLockConfiguration = {};
    if (hasRoot(xml, 'DefaultRetention')) {
      const mode = xmlText(xml, 'Mode');
      const days = xmlText(xml, 'Days');
      const years = xmlText(xml, 'Years');
      const count = Number(days ?? years);
      if (!isRetentionMode(mode) || (days === undefined) === (years === undefined) || !Number.isInteger(count) || count < 1) throw malformedXml();
      config.defaultRetention = { mode, ...(days !== undefined ? { days: count } : { years: count }) };
    }
    await writeFile(bucketLockPath(bucket), JSON.stringify(config));
    ctx.status = 200;
    ctx.body = '';
  }

  async function getBucketLock(ctx: KoaContext, bucket: string): Promise<void> {
    const config = await readBucketLock(bucket);
    if (config === undefined) {
      throw s3Error('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404, { BucketName: bucket });
    }
    const d = config.defaultRetention;
    const rule = d ? `<Rule><DefaultRetention><Mode>${d.mode}</Mode>${d.days !== undefined ? `<Days>${d.days}</Days>` : `<Years>${d.years ?? 0}</Years>`}</DefaultRetention></Rule>` : '';
    sendXml(ctx, `<ObjectLockConfiguration xmlns="${S3_XMLNS}"><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`);
  }

  /** The bucket's default retention for an object created now, if the bucket has one. */
  async function bucketDefaultRetention(bucket: string): Promise<LockState['retention']> {
    const d = (await readBucketLock(bucket))?.defaultRetention;
    if (d === undefined) return undefined;
    const until = new Date();
    if (d.days !== undefined) until.setTime(until.getTime() + d.days * 24 * 60 * 60 * 1000);
    else until.setUTCFullYear(until.getUTCFullYear() + (d.years ?? 0));
    return { mode: d.mode, retainUntilDate: until.toISOString() };
  }

  /** After an object was created: the requested lock, else the bucket's or the global default retention, if any. */
  async function lockNewObject(t: ObjectTarget, requested: LockState | undefined): Promise<void> {
    const state: LockState = { ...requested };
    if (state.retention === undefined) {
      const retention = await bucketDefaultRetention(t.bucket);
      if (retention !== undefined) state.retention = retention;
    }
    if (state.retention === undefined && defaultRetentionMs !== undefined) {
      state.retention = { mode: 'COMPLIANCE', retainUntilDate: new Date(Date.now() + defaultRetentionMs).toISOString() };
    }
    if (state.retention === undefined && state.legalHold === undefined) return;
    await serialized(lockPath(t), () => writeLock(t, state));
  }

  // Every object s3rver itself stores passes its store's putObject (PutObject, and the browser-form
  // POST to `/:bucket`, whose key is inside the multipart body where the dispatch below cannot see it)
  // or copyObject (CopyObject). The lock is checked there as well, so no route, known or overlooked,
  // can replace a locked object: the form POST used to overwrite sealed evidence (issue 10). A
  // refused POST answers AccessDenied before its file is read. Objects created by a form POST get
  // the default retention like any other new object.
  const storePutObject = store.putObject.bind(store);
  const storeCopyObject = store.copyObject.bind(store);
  store.putObject = async (object) => {
    const t: ObjectTarget = { bucket: object.bucket, key: object.key };
    await guardReplace(t, false);
    const stored = await storePutObject(object);
    await lockNewObject(t, undefined);
    return stored;
  };
  store.copyObject = async (srcBucket, srcKey, destBucket, destKey, replacementMetadata) => {
    await guardReplace({ bucket: destBucket, key: destKey }, false);
    return storeCopyObject(srcBucket, srcKey, destBucket, destKey, replacementMetadata);
  };

  async function requireObject(t: ObjectTarget): Promise<void> {
    if (!(await store.existsObject(t.bucket, t.key))) throw noSuchKey(t.key);
  }

  // --- S3 operations --------------------------------------------------------------------------

  const uploadsDir = (bucket: string): string => store.getResourcePath(bucket, undefined, 'uploads');

  /** The upload's directory, if `uploadId` names an upload in progress for exactly this key. */
  async function findUpload(t: ObjectTarget, uploadId: string): Promise<string> {
    if (!UPLOAD_ID.test(uploadId)) throw noSuchUpload(uploadId);
    const dir = join(uploadsDir(t.bucket), uploadId);
    const storedKey = await readFile(join(dir, 'key'), 'utf8').catch(() => undefined);
    if (storedKey !== t.key) throw noSuchUpload(uploadId);
    return dir;
  }

  /** A stored part's size, time and MD5; undefined while missing or still being written. */
  async function readPart(dir: string, partNumber: number): Promise<{ size: number; mtime: Date; md5: string } | undefined> {
    try {
      const partFile = join(dir, String(partNumber));
      const [info, md5] = await Promise.all([stat(partFile), readFile(`${partFile}.md5`, 'utf8')]);
      return { size: info.size, mtime: info.mtime, md5: md5.trim() };
    } catch {
      return undefined;
    }
  }

  function pageParameter(ctx: KoaContext, name: string, fallback: number): number {
    const raw = queryString(ctx.query, name);
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
    }
    return value;
  }

  async function listParts(ctx: KoaContext, t: ObjectTarget, uploadId: string): Promise<void> {
    const dir = await findUpload(t, uploadId);
    const maxParts = Math.min(pageParameter(ctx, 'max-parts', MAX_PARTS_PER_PAGE), MAX_PARTS_PER_PAGE);
    const marker = pageParameter(ctx, 'part-number-marker', 0);
    const numbers = (await readdir(dir))
      .filter((name) => /^[0-9]+$/.test(name))
      .map(Number)
      .filter((n) => n > marker)
      .sort((a, b) => a - b);
    const parts = (
      await Promise.all(numbers.map(async (n) => ({ n, part: await readPart(dir, n) })))
    ).filter((entry): entry is { n: number; part: NonNullable<typeof entry.part> } => entry.part !== undefined);
    const page = parts.slice(0, maxParts);
    const truncated = parts.length > page.length;
    const last = page.at(-1);
    const owner = '<ID>123456789000</ID><DisplayName>S3rver</DisplayName>';
    sendXml(
      ctx,
      `<ListPartsResult xmlns="${S3_XMLNS}">` +
        `<Bucket>${escapeXml(t.bucket)}</Bucket><Key>${escapeXml(t.key)}</Key><UploadId>${escapeXml(uploadId)}</UploadId>` +
        `<Initiator>${owner}</Initiator><Owner>${owner}</Owner><StorageClass>STANDARD</StorageClass>` +
        `<PartNumberMarker>${marker}</PartNumberMarker>` +
        `<NextPartNumberMarker>${last?.n ?? marker}</NextPartNumberMarker>` +
        `<MaxParts>${maxParts}</MaxParts><IsTruncated>${truncated}</IsTruncated>` +
        page
          .map(
            ({ n, part }) =>
              `<Part><PartNumber>${n}</PartNumber><LastModified>${part.mtime.toISOString()}</LastModified>` +
              `<ETag>${escapeXml(JSON.stringify(part.md5))}</ETag><Size>${part.size}</Size></Part>`,
          )
          .join('') +
        '</ListPartsResult>',
    );
  }

  async function abortMultipartUpload(ctx: KoaContext, t: ObjectTarget, uploadId: string): Promise<void> {
    await serialized(`upload:${t.bucket}/${uploadId}`, async () => {
      const dir = await findUpload(t, uploadId);
      await rm(dir, { recursive: true, force: true });
    });
    ctx.status = 204;
    ctx.body = null;
  }

  async function completeMultipartUpload(ctx: KoaContext, t: ObjectTarget, uploadId: string): Promise<void> {
    const xml = await readBody(ctx.req, MAX_XML_BODY);
    const created = await serialized(`upload:${t.bucket}/${uploadId}`, async () => {
      const dir = await findUpload(t, uploadId);
      const partElements = xmlElements(xml, 'Part');
      if (!hasRoot(xml, 'CompleteMultipartUpload') || partElements.length === 0) throw malformedXml();
      const requested = partElements.map((element) => ({
        number: Number(xmlText(element, 'PartNumber')),
        // S3 ignores double quotes when comparing ETags.
        etag: (xmlText(element, 'ETag') ?? '').replace(/"/g, ''),
      }));
      const stored = await Promise.all(
        requested.map(async (part, index) => {
          if (!Number.isInteger(part.number) || part.number < 1 || part.number > 10000) throw malformedXml();
          const previous = requested[index - 1];
          if (previous !== undefined && part.number <= previous.number) {
            throw s3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, {
              UploadId: uploadId,
            });
          }
          const found = await readPart(dir, part.number);
          if (found === undefined || found.md5 !== part.etag) {
            throw s3Error(
              'InvalidPart',
              "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
              400,
              { UploadId: uploadId, PartNumber: part.number, ETag: part.etag },
            );
          }
          if (index < requested.length - 1 && found.size < MIN_PART_SIZE) {
            throw s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, {
              ProposedSize: found.size,
              MinSizeAllowed: MIN_PART_SIZE,
              PartNumber: part.number,
              ETag: part.etag,
            });
          }
          return found;
        }),
      );
      // Lock headers sent with CreateMultipartUpload; s3rver keeps that request's headers as metadata.
      const initiation = JSON.parse(await readFile(join(dir, 'metadata'), 'utf8')) as Record<string, string | undefined>;
      const lock = requestedLock(initiation, Date.now());
      await guardReplace(t, false);

      const { size } = await store.putObjectMultipart(t.bucket, uploadId, requested);
      // AWS's multipart ETag: the MD5 of the parts' binary MD5s, and the part count.
      const digest = createHash('md5');
      for (const part of stored) digest.update(Buffer.from(part.md5, 'hex'));
      const eTag = `${digest.digest('hex')}-${stored.length}`;
      // s3rver serves whatever this file holds as the object's ETag (GET, HEAD, listings).
      await writeFile(store.getResourcePath(t.bucket, t.key, 'object.md5'), eTag);
      await lockNewObject(t, lock);
      return { size, eTag };
    });
    publishCreated({
      eventName: 'ObjectCreated:CompleteMultipartUpload',
      bucket: t.bucket,
      key: t.key,
      size: created.size,
      eTag: created.eTag,
      sourceIp: ctx.ip,
      eventTime: new Date().toISOString(),
    });
    sendXml(
      ctx,
      `<CompleteMultipartUploadResult xmlns="${S3_XMLNS}">` +
        `<Location>${escapeXml(ctx.origin + ctx.path)}</Location>` +
        `<Bucket>${escapeXml(t.bucket)}</Bucket><Key>${escapeXml(t.key)}</Key>` +
        `<ETag>${escapeXml(JSON.stringify(created.eTag))}</ETag>` +
        '</CompleteMultipartUploadResult>',
    );
  }

  async function putRetention(ctx: KoaContext, t: ObjectTarget): Promise<void> {
    await requireObject(t);
    const xml = await readBody(ctx.req, MAX_XML_BODY);
    const mode = xmlText(xml, 'Mode');
    const until = xmlText(xml, 'RetainUntilDate');
    // Removing retention (an empty <Retention/>) is not supported: we never do it.
    if (!hasRoot(xml, 'Retention') || !isRetentionMode(mode) || until === undefined) throw malformedXml();
    const date = new Date(until);
    if (Number.isNaN(date.getTime())) throw malformedXml();
    const now = Date.now();
    if (date.getTime() <= now) {
      throw invalidArgument('The retain until date must be in the future!', 'RetainUntilDate', until);
    }
    const bypass = ctx.headers['x-amz-bypass-governance-retention'] === 'true';
    await serialized(lockPath(t), async () => {
      const state = (await readLock(t)) ?? {};
      const current = state.retention;
      if (current !== undefined && Date.parse(current.retainUntilDate) > now) {
        const shortened = date.getTime() < Date.parse(current.retainUntilDate);
        if (current.mode === 'COMPLIANCE' && (mode !== 'COMPLIANCE' || shortened)) {
          throw s3Error(
            'AccessDenied',
            'Access Denied: COMPLIANCE retention can be neither shortened nor changed to GOVERNANCE.',
            403,
          );
        }
        if (current.mode === 'GOVERNANCE' && shortened && !bypass) {
          throw s3Error('AccessDenied', 'Access Denied: shortening GOVERNANCE retention needs x-amz-bypass-governance-retention.', 403);
        }
      }
      await writeLock(t, { ...state, retention: { mode, retainUntilDate: date.toISOString() } });
    });
    ctx.status = 200;
    ctx.body = '';
  }

  async function getRetention(ctx: KoaContext, t: ObjectTarget): Promise<void> {
    await requireObject(t);
    const retention = (await readLock(t))?.retention;
    if (retention === undefined) throw noLockConfiguration();
    sendXml(
      ctx,
      `<Retention xmlns="${S3_XMLNS}"><Mode>${retention.mode}</Mode>` +
        `<RetainUntilDate>${retention.retainUntilDate}</RetainUntilDate></Retention>`,
    );
  }

  async function putLegalHold(ctx: KoaContext, t: ObjectTarget): Promise<void> {
    await requireObject(t);
    const xml = await readBody(ctx.req, MAX_XML_BODY);
    const status = xmlText(xml, 'Status');
    if (!hasRoot(xml, 'LegalHold') || !isLegalHoldStatus(status)) throw malformedXml();
    await serialized(lockPath(t), async () => {
      const state = (await readLock(t)) ?? {};
      await writeLock(t, { ...state, legalHold: status });
    });
    ctx.status = 200;
    ctx.body = '';
  }

  async function getLegalHold(ctx: KoaContext, t: ObjectTarget): Promise<void> {
    await requireObject(t);
    const legalHold = (await readLock(t))?.legalHold;
    if (legalHold === undefined) throw noLockConfiguration();
    sendXml(ctx, `<LegalHold xmlns="${S3_XMLNS}"><Status>${legalHold}</Status></LegalHold>`);
  }

  /**
   * DeleteObjects as AWS answers it: 200 with a `<Deleted>` or an `<Error>` per key, a locked key
   * being an `AccessDenied` error while the others are deleted. (s3rver's own version cannot be
   * guarded without reading the body, which it then needs itself.)
   */
  async function deleteObjects(ctx: KoaContext, bucket: string): Promise<void> {
    const xml = await readBody(ctx.req, MAX_XML_BODY);
    const objects = xmlElements(xml, 'Object');
    if (!hasRoot(xml, 'Delete') || objects.length === 0 || objects.length > 1000) throw malformedXml();
    const keys = objects.map((object) => {
      const key = xmlText(object, 'Key');
      if (key === undefined || key === '') throw malformedXml();
      return key;
    });
    const quiet = xmlText(xml, 'Quiet') === 'true';
    const bypass = ctx.headers['x-amz-bypass-governance-retention'] === 'true';
    const results: string[] = [];
    // One at a time: s3rver's deleteObject removes emptied directories, which races with itself.
    for (const key of keys) {
      const t = { bucket, key };
      try {
        await guardReplace(t, bypass);
        if (await store.existsObject(bucket, key)) await store.deleteObject(bucket, key);
        if (!quiet) results.push(`<Deleted><Key>${escapeXml(key)}</Key></Deleted>`);
      } catch (error) {
        const code = error instanceof S3Error ? error.code : 'InternalError';
        const message = error instanceof S3Error ? error.message : 'We encountered an internal error. Please try again.';
        results.push(`<Error><Key>${escapeXml(key)}</Key><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>`);
      }
    }
    sendXml(ctx, `<DeleteResult xmlns="${S3_XMLNS}">${results.join('')}</DeleteResult>`);
  }

  /** Sets the lock headers S3 returns on GET and HEAD of a locked object. */
  async function addLockHeaders(ctx: KoaContext, t: ObjectTarget): Promise<void> {
    if (ctx.status !== 200 && ctx.status !== 206) return;
    const state = await readLock(t).catch(() => undefined);
    if (state?.retention) {
      ctx.set('x-amz-object-lock-mode', state.retention.mode);
      ctx.set('x-amz-object-lock-retain-until-date', state.retention.retainUntilDate);
    }
    if (state?.legalHold) ctx.set('x-amz-object-lock-legal-hold', state.legalHold);
  }

  /**
   * s3rver reads `bytes=-N` (the last N bytes) as `bytes=0-N`. Rewrites it to an explicit range;
   * s3rver answers everything else (including 416 for an unsatisfiable range) itself.
   */
  async function fixSuffixRange(ctx: KoaContext, t: ObjectTarget): Promise<void> {
    const match = /^bytes=-(\d+)$/.exec(String(ctx.headers.range ?? '').trim());
    if (!match) return;
    const size = Number((await store.getMetadata(t.bucket, t.key).catch(() => undefined))?.['content-length']);
    if (!Number.isFinite(size) || size === 0) return;
    const suffix = Number(match[1]);
    ctx.headers.range = suffix === 0 ? `bytes=${size}-` : `bytes=${Math.max(0, size - suffix)}-${size - 1}`;
  }

  /**
   * `x-amz-copy-source` is URL-encoded (`bucket/key%2B1`); s3rver decodes it with `decodeURI`, which
   * leaves `%2B`, `%2F`, `%3F`, ... encoded and so misses keys holding those characters. Re-encodes it
   * with `encodeURI`, which `decodeURI` undoes exactly.
   */
  function normalizeCopySource(ctx: KoaContext): void {
    const source = ctx.headers['x-amz-copy-source'];
    if (typeof source !== 'string') return;
    try {
      ctx.headers['x-amz-copy-source'] = encodeURI(decodeURIComponent(source));
    } catch {
      // Not valid percent-encoding: left for s3rver to reject.
    }
  }

  /** Runs an operation of ours the way s3rver runs its own: authenticated, on an existing bucket. */
  async function s3Operation(ctx: KoaContext, bucket: string, key: string | undefined, operation: () => Promise<void>): Promise<void> {
    // s3rver's authentication reads the bucket and key from the router's params (for V2 signatures).
    ctx.params = key === undefined ? { bucket } : { bucket, key };
    await s3rverAuthentication(ctx, async () => {
      if (!(await store.getBucket(bucket))) {
        throw s3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
      }
      await operation();
    });
  }

  // --- events ---------------------------------------------------------------------------------

  function notificationRecord(created: CreatedObject, size: number, eTag: string): S3EventRecord {
    sequence = (sequence + 1) % 0x10000;
    return {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: region,
      eventTime: created.eventTime,
      eventName: created.eventName,
      userIdentity: { principalId: 'AWS:S3RVER' },
      requestParameters: { sourceIPAddress: created.sourceIp },
      responseElements: {
        'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
        'x-amz-id-2': randomBytes(32).toString('base64'),
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'local-event-subscriptions',
        bucket: { name: created.bucket, ownerIdentity: { principalId: 'S3RVER' }, arn: `arn:${partition}:s3:::${created.bucket}` },
        object: {
          key: encodeEventKey(created.key),
          size,
          eTag,
          sequencer: `${Date.now().toString(16)}${sequence.toString(16).padStart(4, '0')}`.toUpperCase(),
        },
      },
    };
  }

  /** Queues delivery of an object-created event to every subscriber; never throws, never waits. */
  function publishCreated(created: CreatedObject): void {
    if (subscribers.size === 0) return;
    setImmediate(() => {
      void (async () => {
        let { size, eTag } = created;
        if (size === undefined || eTag === undefined) {
          // s3rver's Copy events carry no ETag.
          const metadata = await store.getMetadata(created.bucket, created.key).catch(() => undefined);
          size ??= Number(metadata?.['content-length'] ?? 0);
          eTag ??= String(metadata?.['etag'] ?? '').replace(/"/g, '');
        }
        const body = JSON.stringify({ Records: [notificationRecord(created, size, eTag)] });
        await Promise.all([...subscribers.values()].map((subscriber) => deliver(subscriber, body)));
      })().catch((error: unknown) => log(`event delivery failed: ${error instanceof Error ? error.message : String(error)}`));
    });
  }

  function post(subscriber: Subscriber, body: string): Promise<DeliveryOutcome> {
    return new Promise((resolvePost) => {
      const req = httpRequest(
        subscriber.url,
        {
          method: 'POST',
          agent: false,
          timeout: DELIVERY_TIMEOUT_MS,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-local-event-token': subscriber.token,
          },
        },
        (res) => {
          const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
          res.resume();
          res.on('end', () => resolvePost(ok ? 'delivered' : 'failed'));
          res.on('error', () => resolvePost('failed'));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (error: NodeJS.ErrnoException) => resolvePost(error.code === 'ECONNREFUSED' ? 'refused' : 'failed'));
      req.end(body);
    });
  }

  /** One attempt and one retry ~200 ms later; a subscriber refusing connections twice in a row is dropped. */
  async function deliver(subscriber: Subscriber, body: string): Promise<void> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (subscribers.get(subscriber.url) !== subscriber) return; // unsubscribed or replaced meanwhile
      const outcome = await post(subscriber, body);
      if (outcome === 'delivered') {
        subscriber.refusedInARow = 0;
        return;
      }
      if (outcome === 'refused') {
        subscriber.refusedInARow += 1;
        if (subscriber.refusedInARow >= 2) {
          if (subscribers.get(subscriber.url) === subscriber) {
            subscribers.delete(subscriber.url);
            log(`dropped event subscriber ${subscriber.url}: connection refused twice in a row`);
          }
          return;
        }
      } else {
        subscriber.refusedInARow = 0;
      }
      if (attempt === 1) await delay(RETRY_DELAY_MS);
    }
  }

  internals.on('event', (event: unknown) => {
    const record = (event as { Records?: unknown[] } | undefined)?.Records?.[0] as
      | {
          eventName?: string;
          eventTime?: string;
          requestParameters?: { sourceIPAddress?: string };
          s3?: { bucket?: { name?: string }; object?: { key?: string; size?: number; eTag?: string } };
        }
      | undefined;
    const bucket = record?.s3?.bucket?.name;
    const object = record?.s3?.object;
    if (!record?.eventName?.startsWith('ObjectCreated:') || bucket === undefined || object?.key === undefined) return;
    publishCreated({
      eventName: record.eventName,
      bucket,
      key: object.key,
      size: typeof object.size === 'number' && Number.isFinite(object.size) ? object.size : undefined,
      eTag: typeof object.eTag === 'string' ? object.eTag : undefined,
      sourceIp: record.requestParameters?.sourceIPAddress ?? '127.0.0.1',
      eventTime: record.eventTime ?? new Date().toISOString(),
    });
  });

  async function handleSubscriptions(ctx: KoaContext): Promise<void> {
    if (ctx.method === 'GET') {
      sendJson(ctx, 200, { subscriptions: [...subscribers.keys()].map((url) => ({ url })) });
      return;
    }
    if (ctx.method !== 'POST' && ctx.method !== 'DELETE') {
      ctx.set('allow', 'GET, POST, DELETE');
      sendJson(ctx, 405, { error: 'method not allowed' });
      return;
    }
    let input: { url?: unknown; token?: unknown };
    try {
      input = JSON.parse(await readBody(ctx.req, 64 * 1024)) as { url?: unknown; token?: unknown };
      if (typeof input !== 'object' || input === null) throw new Error('not an object');
    } catch {
      sendJson(ctx, 400, { error: 'body must be a JSON object' });
      return;
    }
    let url: URL;
    try {
      if (typeof input.url !== 'string') throw new Error('no url');
      url = new URL(input.url);
    } catch {
      sendJson(ctx, 400, { error: 'url must be an absolute URL' });
      return;
    }
    if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(url.hostname) || url.username || url.password) {
      sendJson(ctx, 400, { error: 'url must be http://127.0.0.1 or http://localhost' });
      return;
    }
    if (ctx.method === 'DELETE') {
      if (subscribers.delete(url.href)) {
        ctx.status = 204;
        ctx.body = null;
      } else {
        sendJson(ctx, 404, { error: 'no such subscription' });
      }
      return;
    }
    if (typeof input.token !== 'string' || input.token === '' || input.token.length > 1024) {
      sendJson(ctx, 400, { error: 'token must be a non-empty string of at most 1024 characters' });
      return;
    }
    const replaced = subscribers.has(url.href);
    subscribers.set(url.href, { url: url.href, token: input.token, refusedInARow: 0 });
    sendJson(ctx, replaced ? 200 : 201, { url: url.href, replaced });
  }

  // --- dispatch -------------------------------------------------------------------------------

  const extension: Middleware = async (ctx, next) => {
    if (ctx.path === SUBSCRIPTIONS_PATH) return handleSubscriptions(ctx);

    // Path-style `/bucket` or `/bucket/key...`, decoded as s3rver's router decodes its params.
    const match = /^\/([^/]+)(?:\/(.*))?$/.exec(ctx.path);
    if (!match) return next();
    let bucket: string;
    let key: string | undefined;
    try {
      bucket = decodeURIComponent(match[1] ?? '');
      key = match[2] ? decodeURIComponent(match[2]) : undefined;
    } catch {
      return next();
    }
    const subresources = Object.keys(ctx.query).filter((name) => SUBRESOURCES.has(name));
    // Conflicting subresources: s3rver answers InvalidArgument.
    if (subresources.length > 1) return next();
    const subresource = subresources[0];
    const bypass = ctx.headers['x-amz-bypass-governance-retention'] === 'true';

    if (key === undefined) {
      if (ctx.method === 'POST' && subresource === 'delete') {
        return s3Operation(ctx, bucket, undefined, () => deleteObjects(ctx, bucket));
      }
      if (ctx.method === 'PUT' && subresource === 'object-lock') {
        return s3Operation(ctx, bucket, undefined, () => putBucketLock(ctx, bucket));
      }
      if (ctx.method === 'GET' && subresource === 'object-lock') {
        return s3Operation(ctx, bucket, undefined, () => getBucketLock(ctx, bucket));
      }
      return next();
    }

    const t: ObjectTarget = { bucket, key };
    const uploadId = queryString(ctx.query, 'uploadId');
    switch (`${ctx.method} ${subresource ?? ''}`) {
      case 'GET uploadId':
        return s3Operation(ctx, bucket, key, () => listParts(ctx, t, uploadId ?? ''));
      case 'DELETE uploadId':
        return s3Operation(ctx, bucket, key, () => abortMultipartUpload(ctx, t, uploadId ?? ''));
      case 'POST uploadId':
        return s3Operation(ctx, bucket, key, () => completeMultipartUpload(ctx, t, uploadId ?? ''));
      case 'PUT retention':
        return s3Operation(ctx, bucket, key, () => putRetention(ctx, t));
      case 'GET retention':
        return s3Operation(ctx, bucket, key, () => getRetention(ctx, t));
      case 'PUT legal-hold':
        return s3Operation(ctx, bucket, key, () => putLegalHold(ctx, t));
      case 'GET legal-hold':
        return s3Operation(ctx, bucket, key, () => getLegalHold(ctx, t));
      case 'PUT uploadId': {
        // UploadPart: s3rver would store parts for any upload id (recreating an aborted upload's
        // directory) and uses partNumber as a file name unchecked.
        if (!(await store.getBucket(bucket))) return next();
        await findUpload(t, uploadId ?? '');
        const partNumber = queryString(ctx.query, 'partNumber') ?? '';
        if (!/^[0-9]{1,5}$/.test(partNumber) || Number(partNumber) < 1 || Number(partNumber) > 10000) {
          throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumber);
        }
        return next();
      }
      case 'POST uploads':
        // CreateMultipartUpload: reject bad lock headers now, not at completion.
        requestedLock(amzHeaders(ctx), Date.now());
        return next();
      case 'DELETE ':
        if (await store.getBucket(bucket)) await guardReplace(t, bypass);
        return next();
      case 'PUT ': {
        // PutObject or CopyObject (x-amz-copy-source): refused onto a locked object.
        if (!(await store.getBucket(bucket))) return next();
        const lock = requestedLock(amzHeaders(ctx), Date.now());
        await guardReplace(t, false);
        normalizeCopySource(ctx);
        await next();
        if (ctx.status >= 200 && ctx.status < 300) await lockNewObject(t, lock);
        return undefined;
      }
      case 'GET ':
      case 'HEAD ':
        if (ctx.headers.range !== undefined) await fixSuffixRange(ctx, t);
        await next();
        await addLockHeaders(ctx, t);
        return undefined;
      default:
        return next();
    }
  };

  function noLockConfiguration(): S3ErrorInstance {
    return s3Error('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
  }

  // Just before s3rver's router, after its logger, XML body encoder and vhost rewriting.
  stack.splice(stack.length - 1, 0, extension);
}
