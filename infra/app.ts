/**
 * CDK entry point (`npx cdk synth`, `npx cdk deploy`). cdk-nag's AWS Solutions, Serverless and NIST 800-53
 * Rev. 5 rules run as validation plugins: synth fails while a finding is neither fixed nor acknowledged
 * with a reason (infra/README.md, "cdk-nag acknowledgements").
 */
import { Validations } from 'aws-cdk-lib';
import { NAG_PACKS } from './nag-packs.ts';
import { buildApp } from './build-app.ts';

const { app } = buildApp();
Validations.of(app).addPlugins(...NAG_PACKS.map((Pack) => new Pack(app)));
app.synth();
