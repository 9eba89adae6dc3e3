import { startEmbeddedS3 } from '../../infra/local/embedded-s3';
import { ensureCatalogueTable, startEmbeddedDynamoDb } from '../../infra/local/embedded-dynamodb';
import { createDynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { makeTempDir } from '../../test/support/temp-dir';

/**
 * The catalogue section's servers, in their own process so their CPU is not counted as the
 * function's (on AWS, DynamoDB and S3 run elsewhere): an in-memory dynalite with the table, and
 * s3rver over a temporary folder. Answers their endpoints over IPC; stops when its parent goes.
 */
const dir = makeTempDir('bench-catalogue');
const dynamo = await startEmbeddedDynamoDb();
const setup = createDynamoDbClient('us-east-1', dynamo.endpoint);
await ensureCatalogueTable(setup, 'bench-catalogue');
setup.destroy();
const s3 = await startEmbeddedS3({ directory: dir.path, bucketName: 'bench' });
process.send?.({ dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint });
process.on('disconnect', () => {
  void Promise.all([dynamo.close(), s3.close()]).finally(() => {
    dir.remove();
    process.exit(0);
  });
});
