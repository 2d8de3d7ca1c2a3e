/**
 * CDK entry point (`npx cdk synth`, `npx cdk deploy`). cdk-nag's AWS Solutions rules run as a
 * validation plugin: synth fails while a finding is neither fixed nor acknowledged with a reason.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from './build-app.ts';

const { app } = buildApp();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
