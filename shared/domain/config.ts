/**
 * The deployment's configuration: every figure a province or bureau may set through the environment,
 * with its national default and the range it may take. Read from process.env once and validated, so a
 * typo fails start-up with the variable's name instead of becoming NaN in a deadline.
 *
 * Not here: table names, buckets, endpoints, secrets and local-mode flags (shared/aws/env.ts and the
 * shared/aws modules), Powertools' own variables, and the bench switch AUDIT_SINGLE_CHAIN.
 * Imports nothing but zod so that every function can load it at cold start for free.
 */
import * as z from './z.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

type Env = Readonly<Record<string, string | undefined>>;

/** Digits only: '7.5', '-1', '1e3', ' 7' and '' are refused rather than rounded or read as 0. */
const wholeNumber = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const n = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name}=${JSON.stringify(raw)} is not a whole number between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

/** A plain decimal such as 0.05 (no exponent, no sign). */
const fraction = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const n = /^[0-9]+(\.[0-9]+)?$/.test(raw) ? Number(raw) : NaN;
      if (!(n >= min && n <= max)) {
        ctx.addIssue({ code: 'custom', message: `${name}=${JSON.stringify(raw)} is not a number between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

const text = (name: string, fallback: string, maxLength: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const value = raw.trim();
      if (value === '' || value.length > maxLength) {
        ctx.addIssue({ code: 'custom', message: `${name}=${JSON.stringify(raw)} is not a name of 1 to ${maxLength} characters` });
        return z.NEVER;
      }
      return value;
    });

/**
 * An http(s) origin, optionally with a path, as people type it: no trailing slash, no query, fragment
 * or credentials, ASCII only (an internationalised host in its punycode form).
 */
const baseUrl = (name: string, fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      let url: URL | undefined;
      try {
        url = new URL(raw);
      } catch {
        url = undefined;
      }
      const ok =
        url !== undefined &&
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        url.username === '' &&
        url.password === '' &&
        url.search === '' &&
        url.hash === '' &&
        !raw.endsWith('/') &&
        raw.length <= 200 &&
        // The URL as written is its own normal form (no spaces, no upper-case scheme, no non-ASCII host).
        (url.pathname === '/' ? `${url.origin}` : `${url.origin}${url.pathname}`) === raw;
      if (!ok) {
        ctx.addIssue({ code: 'custom', message: `${name}=${JSON.stringify(raw)} is not an http(s) URL without a trailing slash, query or fragment` });
        return z.NEVER;
      }
      return raw;
    });

/**
 * The penalty type codes (shared/domain/decision.ts PENALTY_TYPES; a unit test keeps the two equal).
 * Listed here because decision.ts reads this module: importing it back would be a cycle.
 */
export const PENALTY_TYPE_CODES = [
  'WARNING',
  'CRITICISM',
  'FINE',
  'CONFISCATE_GAINS',
  'CONFISCATE_PROPERTY',
  'SUSPEND_PERMIT',
  'DOWNGRADE_QUALIFICATION',
  'REVOKE_PERMIT',
  'RESTRICT_ACTIVITY',
  'ORDER_SUSPEND',
  'ORDER_CLOSE',
  'RESTRICT_EMPLOYMENT',
  'OTHER',
] as const;

/** Each penalty type once, heaviest first; absent: the national order (report-aggregates.ts). */
const severityOrder = (name: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): readonly (typeof PENALTY_TYPE_CODES)[number][] | undefined => {
      if (raw === undefined) return undefined;
      const order = raw.split(',').map((s) => s.trim());
      const known = new Set<string>(PENALTY_TYPE_CODES);
      if (order.length !== PENALTY_TYPE_CODES.length || new Set(order).size !== order.length || order.some((p) => !known.has(p))) {
        ctx.addIssue({ code: 'custom', message: `${name}=${JSON.stringify(raw)} does not list each of ${PENALTY_TYPE_CODES.join(', ')} once` });
        return z.NEVER;
      }
      return order as (typeof PENALTY_TYPE_CODES)[number][];
    });

/** Unset: the default. Set: must be valid, an empty value included (it is never read as 0). */
export const configSchema = z.object({
  /** D7: working days to publish a licensing decision. */
  PUBLISH_DAYS_LICENSING: wholeNumber('PUBLISH_DAYS_LICENSING', 7, 1, 60),
  /** D7: working days to publish a penalty decision. */
  PUBLISH_DAYS_PENALTY: wholeNumber('PUBLISH_DAYS_PENALTY', 7, 1, 60),
  /** D7: working days to publish coercion, inspection and other decisions. */
  PUBLISH_DAYS_OTHER: wholeNumber('PUBLISH_DAYS_OTHER', 20, 1, 60),
  /** N4: working days to withdraw a published decision after it changed. */
  WITHDRAW_DAYS: wholeNumber('WITHDRAW_DAYS', 3, 1, 60),
  /** N5: fines below this (yuan) get the 3-month disclosure period; the province sets it. */
  SHORT_DISCLOSURE_FINE_LIMIT_YUAN: wholeNumber('SHORT_DISCLOSURE_FINE_LIMIT_YUAN', 10_000, 1, 1_000_000),
  /** N12: the simple procedure's fine limit for a natural person (yuan). */
  SIMPLE_FINE_LIMIT_PERSON_YUAN: wholeNumber('SIMPLE_FINE_LIMIT_PERSON_YUAN', 200, 1, 1_000_000),
  /** N12: the simple procedure's fine limit for an organisation (yuan). */
  SIMPLE_FINE_LIMIT_ORG_YUAN: wholeNumber('SIMPLE_FINE_LIMIT_ORG_YUAN', 3000, 1, 1_000_000),
  /** N11: days from filing to decision. */
  CASE_DECISION_LIMIT_DAYS: wholeNumber('CASE_DECISION_LIMIT_DAYS', 90, 1, 365),
  /** N11: days a leader may add by approval (more only by collective discussion). */
  CASE_APPROVED_EXTENSION_DAYS: wholeNumber('CASE_APPROVED_EXTENSION_DAYS', 30, 0, 365),
  /** N6: officers in an investigation; the law's floor is two. */
  MIN_INVESTIGATION_OFFICERS: wholeNumber('MIN_INVESTIGATION_OFFICERS', 2, 2, 10),
  /** P1: working days from the prior notice's service for the party to state and defend. */
  NOTICE_STATEMENT_WORKING_DAYS: wholeNumber('NOTICE_STATEMENT_WORKING_DAYS', 5, 1, 30),
  /** P3: working days from the prior notice's service to request a hearing. */
  HEARING_REQUEST_WORKING_DAYS: wholeNumber('HEARING_REQUEST_WORKING_DAYS', 5, 1, 30),
  /** P3: calendar days at least between the hearing notice's service and the hearing. */
  HEARING_NOTICE_MIN_DAYS: wholeNumber('HEARING_NOTICE_MIN_DAYS', 7, 1, 60),
  /** N10: a fine (or confiscation) at or above this for a natural person offers a hearing (yuan). */
  HEARING_FINE_PERSON_YUAN: wholeNumber('HEARING_FINE_PERSON_YUAN', 10_000, 1, 100_000_000),
  /** N10: the same for an organisation (yuan). */
  HEARING_FINE_ORG_YUAN: wholeNumber('HEARING_FINE_ORG_YUAN', 100_000, 1, 100_000_000),
  /** P4: calendar days to serve a decision not served on the spot. */
  SERVICE_DUE_DAYS: wholeNumber('SERVICE_DUE_DAYS', 7, 1, 60),
  /** P4: service by public notice takes effect this many days after the notice. */
  PUBLIC_NOTICE_SERVICE_DAYS: wholeNumber('PUBLIC_NOTICE_SERVICE_DAYS', 30, 1, 180),
  /** P5: days from receiving the decision to pay a fine. */
  PAYMENT_DAYS: wholeNumber('PAYMENT_DAYS', 15, 1, 90),
  /** P5: late-payment surcharge, per cent of the fine per day (capped at the fine). */
  LATE_SURCHARGE_PERCENT_PER_DAY: wholeNumber('LATE_SURCHARGE_PERCENT_PER_DAY', 3, 1, 100),
  /** P6: days to apply for administrative reconsideration. */
  RECONSIDERATION_DAYS: wholeNumber('RECONSIDERATION_DAYS', 60, 1, 365),
  /** P6: months to bring an administrative lawsuit. */
  LITIGATION_MONTHS: wholeNumber('LITIGATION_MONTHS', 6, 1, 24),
  /** S1: training hours an officer needs a year. */
  ANNUAL_TRAINING_HOURS: wholeNumber('ANNUAL_TRAINING_HOURS', 40, 1, 1000),
  /** L2: legal reviewers as a share of enforcement officers. */
  MIN_REVIEWER_RATIO: fraction('MIN_REVIEWER_RATIO', 0.05, 0, 1),
  /** D13: penalty types heaviest first, comma-separated (the annual report counts each decision once). */
  PENALTY_SEVERITY_ORDER: severityOrder('PENALTY_SEVERITY_ORDER'),
  /** The bureau's name on reports and alerts (CDK context in a deployment). */
  BUREAU_NAME: text('BUREAU_NAME', '市场监督管理局', 100),
  /**
   * The public portal's address (issue 14): certificates' QR codes open `${PORTAL_URL}/verify/{no}`.
   * CDK context `portalUrl` in a deployment; locally the portal `npm start` serves.
   */
  PORTAL_URL: baseUrl('PORTAL_URL', 'http://localhost:3001'),
  /** Years of Object Lock retention for sealed evidence (set by CDK on evidence-seal). */
  EVIDENCE_RETENTION_YEARS: wholeNumber('EVIDENCE_RETENTION_YEARS', 30, 1, 100),
  /** Files up to this size are re-hashed before a download link is issued (0: never). */
  EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES: wholeNumber('EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES', 256 * MiB, 0, 5 * GiB),
  /** Days between two scheduled checks of one object; at most a quarter (91). */
  EVIDENCE_VERIFY_INTERVAL_DAYS: wholeNumber('EVIDENCE_VERIFY_INTERVAL_DAYS', 90, 1, 91),
  /** Bytes the daily verification job hashes at most per run (15 minutes at ~100 MB/s). */
  EVIDENCE_VERIFY_MAX_BYTES_PER_RUN: wholeNumber('EVIDENCE_VERIFY_MAX_BYTES_PER_RUN', 40 * GiB, MiB, 5 * 1024 * GiB),
});

export type Config = Readonly<z.output<typeof configSchema>>;

/** The environment variables this module reads. */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as readonly (keyof Config)[];

/** Pure: the configuration of `env`, or an Error naming every bad variable. */
export function configFrom(env: Env): Config {
  const parsed = configSchema.safeParse(Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, env[name]])));
  if (!parsed.success) throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

let memo: { readonly key: string; readonly value: Config } | undefined;

/**
 * The configuration of this process, parsed at the first call and kept. Parsed again only if one of its
 * variables changed since (tests set process.env; a Lambda's environment never changes).
 */
export function config(): Config {
  const key = JSON.stringify(CONFIG_VARIABLES.map((name) => process.env[name] ?? null));
  if (memo?.key !== key) memo = { key, value: configFrom(process.env) };
  return memo.value;
}
