// What the presign quota uses of the DynamoDB SDK, loaded with `import()` by the first request
// that asks for PUTs (on-first-use.ts): a module of its own, so esbuild bundles these exports only.
export { ConditionalCheckFailedException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
export { createDynamoDbClient } from '../dynamodb-client';
