import { loadStorageLocation, requiredString } from '../adapters/config';
import { loadInvalidationConfig } from '../settings/invalidation';
import { loadS3ClientSettings } from '../settings/s3-client';
import { createCdnInvalidator } from '../adapters/cdn-invalidator';
import { ENV } from '../adapters/env-names';
import { createS3Client } from '../adapters/s3-client';
import { lambdaClientOnFirstUse, selfInvokingDispatcher } from '../adapters/self-invocation';
import { lambdaPlatform } from '../capabilities/lambda-platform';
import { composeObjects, objectsEntry } from '../capabilities/objects.compose';

// Built once per cold start; a bad setting fails here, naming its variable.
const platform = lambdaPlatform();
const storage = loadStorageLocation(process.env);
const s3 = createS3Client(storage, loadS3ClientSettings(process.env));
// Made by the first background erasure, not at cold start (on-first-use.ts).
const lambda = lambdaClientOnFirstUse(storage.region, platform.traced);
const objects = composeObjects(process.env, {
  ...platform,
  s3: platform.traced(s3),
  invalidator: (env) => createCdnInvalidator(loadInvalidationConfig(env), platform.traced),
  // A large folder is erased by this function again, invoked asynchronously by itself.
  erasureDispatcher: () => selfInvokingDispatcher(lambda, requiredString(process.env, ENV.functionName)),
});

/** This function's own background erasures (sent by itself), and API Gateway's requests. */
export const handler = objectsEntry(objects, platform.traceHandler);
