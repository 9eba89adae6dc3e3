import { LambdaClient } from '@aws-sdk/client-lambda';
import {
  loadInvalidationConfig,
  loadS3ClientSettings,
  loadStorageLocation,
  requiredString,
} from '../adapters/config';
import { createCdnInvalidator } from '../adapters/cdn-invalidator';
import { ENV } from '../adapters/env-names';
import { createS3Client } from '../adapters/s3-client';
import { selfInvokingDispatcher } from '../adapters/self-invocation';
import { lambdaPlatform } from '../capabilities/lambda-platform';
import { objectsCapability, objectsEntry } from '../capabilities/objects';

// Built once per cold start; a bad setting fails here, naming its variable.
const platform = lambdaPlatform();
const storage = loadStorageLocation(process.env);
const s3 = createS3Client(storage, loadS3ClientSettings(process.env));
const lambda = platform.traced(new LambdaClient({ region: storage.region }));
const objects = objectsCapability.compose(process.env, {
  ...platform,
  s3: platform.traced(s3),
  invalidator: (env) => createCdnInvalidator(loadInvalidationConfig(env), platform.traced),
  // A large folder is erased by this function again, invoked asynchronously by itself.
  erasureDispatcher: () => selfInvokingDispatcher(lambda, requiredString(process.env, ENV.functionName)),
});

/** This function's own background erasures (sent by itself), and API Gateway's requests. */
export const handler = objectsEntry(objects, platform.traceHandler);
