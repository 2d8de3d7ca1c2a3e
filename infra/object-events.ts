/**
 * What infra needs to know about the functions invoked by S3 object-created events (`invokedBy: 's3'`
 * in shared/manifest.ts) beyond the manifest: the EventBridge pattern that selects their events, and the
 * synth-time check that no route names them. Pure data and checks.
 *
 * In AWS the evidence bucket sends its events to EventBridge (the data stack enables that on the bucket)
 * and a rule in the API stack invokes the function. A direct S3 → Lambda notification would need the
 * data stack's bucket to name the API stack's function while the function names the bucket: a
 * dependency cycle between the stacks.
 */
import { functions, routes } from '../shared/manifest.ts';
import type { FunctionSpec, RouteSpec } from '../shared/manifest.ts';

/** The functions that S3 object-created events invoke, in manifest order. */
export const objectEventFunctions = (specs: readonly FunctionSpec[] = functions): FunctionSpec[] => specs.filter((s) => s.invokedBy === 's3');

/**
 * The EventBridge pattern of S3's `Object Created` events (PutObject, CompleteMultipartUpload, POST and
 * CopyObject) of one bucket under one key prefix. EventBridge passes the whole event to the target:
 * `{ source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name }, object: { key, size,
 * etag, 'version-id', sequencer }, reason, ... } }`, the key not URL-encoded.
 */
export function objectCreatedPattern(bucketName: string, keyPrefix: string): {
  source: string[];
  detailType: string[];
  detail: { bucket: { name: string[] }; object: { key: { prefix: string }[] } };
} {
  if (keyPrefix === '') throw new Error('An object-created rule needs a key prefix');
  return {
    source: ['aws.s3'],
    detailType: ['Object Created'],
    detail: { bucket: { name: [bucketName] }, object: { key: [{ prefix: keyPrefix }] } },
  };
}

/**
 * Refuses a route to a function invoked by object events: its events are EventBridge's, not HTTP
 * requests, and API Gateway must not be able to invoke it.
 */
export function checkObjectEventFunctions(specs: readonly FunctionSpec[] = functions, routeSpecs: readonly RouteSpec[] = routes): void {
  for (const spec of objectEventFunctions(specs)) {
    const routed = routeSpecs.filter((r) => r.fn === spec.id);
    if (routed.length > 0) {
      throw new Error(`Function ${spec.id} is invoked by S3 object events, yet routes name it: ${routed.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    }
    if (!spec.evidenceBucket?.includes('s3:GetObject')) {
      throw new Error(`Function ${spec.id} is invoked by S3 object events but may not read the objects (evidenceBucket without s3:GetObject)`);
    }
  }
}
