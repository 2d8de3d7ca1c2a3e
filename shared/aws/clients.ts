/**
 * AWS clients, created once per process. Endpoints come from the SDK's own service-specific
 * variables (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_S3`), which local mode and the tests set.
 * The S3 client is in s3-client.ts: only the bucket modules load it (most routes never touch S3).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traceClient } from './tracing.ts';

let ddbDoc: DynamoDBDocumentClient | undefined;

export function documentClient(): DynamoDBDocumentClient {
  ddbDoc ??= DynamoDBDocumentClient.from(traceClient(new DynamoDBClient({ maxAttempts: 3 })), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return ddbDoc;
}
