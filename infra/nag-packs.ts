/**
 * The cdk-nag rule packs the app must pass (infra/app.ts adds them to synth; test/infra/nag.test.ts runs
 * them), with the id prefix each pack's rules carry in an acknowledgement.
 */
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';

export const NAG_PACKS = [AwsSolutionsChecks, ServerlessChecks, NIST80053R5Checks] as const;

/** The id prefix of each pack's rules, as `Validations.of(...).acknowledge({ id })` takes it (unprefixed). */
export const NAG_PACK_PREFIXES = {
  AwsSolutionsChecks: 'AwsSolutions-',
  ServerlessChecks: 'Serverless-',
  NIST80053R5Checks: 'NIST.800.53.R5-',
} as const satisfies Record<(typeof NAG_PACKS)[number]['name'], string>;
