/**
 * The deployed bundles' `@aws-sdk/credential-provider-node` (an esbuild alias, infra/bundling.ts):
 * Lambda hands a function its execution role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 * and AWS_SESSION_TOKEN, so the default chain's other sources (ini files, SSO, STS web identity, IMDS,
 * ECS) are never reached there, yet would be bundled and loaded at every cold start. The SDK clients
 * import only `defaultProvider` from that module; the other two exports keep its shape.
 * Not used by local mode or the tests, which run the sources with the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Provider = ReturnType<typeof fromEnv>;
type Credentials = Awaited<ReturnType<Provider>>;

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}): Provider => fromEnv(init);

// The same rules as credential-provider-node's (the SDK's memoisation reads them).
export const credentialsWillNeedRefresh = (credentials?: Credentials): boolean => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials?: Credentials): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
