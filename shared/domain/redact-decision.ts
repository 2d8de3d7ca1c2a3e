/**
 * Redaction of one decision for publication (D9, N2): the party's own personal data, third parties'
 * names and the free-text detectors, applied to the document and to every other published text field,
 * with the manifest that proves the published text equals the served text but for the listed removals.
 */
import {
  buildRedactionManifest,
  collectKnownValues,
  DEFAULT_REDACTION_POLICY,
  publicPartyView,
  redactText,
} from './redaction.ts';
import type { RedactableParty, RedactionManifest, RedactionPolicy } from './redaction.ts';

export interface RedactedDecision {
  readonly partyName: string;
  readonly documentText: string;
  /** Redacts another published field (conclusion, violation type) with the same known values. */
  readonly redactOther: (text: string) => string;
  readonly manifest: RedactionManifest;
}

export function redactDecision(
  input: { party: RedactableParty; documentText: string; thirdPartyNames?: readonly string[]; salt: string; createdAt?: string },
  policy: RedactionPolicy = DEFAULT_REDACTION_POLICY,
): RedactedDecision {
  const knownValues = collectKnownValues({ parties: [input.party], thirdPartyNames: input.thirdPartyNames ?? [] }, policy);
  const context = { knownValues, salt: input.salt };
  const document = redactText(input.documentText, context, policy);
  const manifest = buildRedactionManifest({
    servedText: input.documentText,
    publishedText: document.text,
    findings: document.findings,
    policyVersion: policy.version,
    ...(input.createdAt ? { createdAt: input.createdAt } : {}),
  });
  return {
    partyName: publicPartyView(input.party, policy).name ?? '',
    documentText: document.text,
    redactOther: (text) => redactText(text, context, policy).text,
    manifest,
  };
}
