/**
 * AWS clients, created once per process. DynamoDB goes through the project's own document client
 * (dynamodb.ts, see there why); its endpoint comes from `AWS_ENDPOINT_URL_DYNAMODB`, which local mode and
 * the tests set. The S3 client is in s3-client.ts: only the bucket modules load it (most routes never
 * touch S3).
 */
import { DocumentClient } from './dynamodb.ts';

let ddbDoc: DocumentClient | undefined;

export function documentClient(): DocumentClient {
  ddbDoc ??= new DocumentClient();
  return ddbDoc;
}
