/**
 * Integration tests' global setup: one DynamoDB Local (in memory) and one s3rver for the whole run,
 * with the tables and the evidence bucket created from the same definitions the CDK stacks use.
 * Starting the JVM takes seconds; doing it once, not per file, keeps the suite fast.
 *
 * Test workers get the services two ways: `inject('localServices')` (what helpers.ts uses), and the
 * handler environment (LOCAL_MODE, AWS_ENDPOINT_URL_*, table names, ...) set on this process, which the
 * worker processes inherit — so repository tests can use `shared/aws/clients.ts` directly.
 */
import type { TestProject } from 'vitest/node';
import {
  applyLocalEnvironment,
  localEnvironment,
  startEmbeddedServices,
  type ServiceEndpoints,
} from '../../local/services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    localServices: ServiceEndpoints & { env: Record<string, string> };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await startEmbeddedServices({
    log: (line) => {
      if (line.startsWith('ERROR')) console.error(line);
    },
  });
  const env = localEnvironment(services);
  applyLocalEnvironment(env);
  project.provide('localServices', {
    dynamodbEndpoint: services.dynamodbEndpoint,
    s3Endpoint: services.s3Endpoint,
    evidenceBucket: services.evidenceBucket,
    env,
  });
  return () => services.stop();
}
