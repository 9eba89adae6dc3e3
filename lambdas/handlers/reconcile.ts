import { loadStorageLocation, requiredString } from '../adapters/config';
import { createCdnInvalidator } from '../adapters/cdn-invalidator';
import { ENV } from '../adapters/env-names';
import { createS3Client } from '../adapters/s3-client';
import { lambdaClientOnFirstUse, selfInvokingDispatcher } from '../adapters/self-invocation';
import { lambdaPlatform } from '../capabilities/lambda-platform';
import { composeReconcile } from '../capabilities/reconcile.compose';
import { loadInvalidationConfig } from '../settings/invalidation';
import { loadS3ClientSettings } from '../settings/s3-client';

// Built once per cold start; a bad setting fails here, naming its variable.
const platform = lambdaPlatform();
const storage = loadStorageLocation(process.env);
const s3 = createS3Client(storage, loadS3ClientSettings(process.env));
// Made by the first erasure handed over, not at cold start (on-first-use.ts).
const lambda = lambdaClientOnFirstUse(storage.region, platform.traced);
const { reconcile } = composeReconcile(process.env, {
  ...platform,
  s3: platform.traced(s3),
  invalidator: (env) => createCdnInvalidator(loadInvalidationConfig(env), platform.traced),
  erasureDispatcher: () => selfInvokingDispatcher(lambda, requiredString(process.env, ENV.functionName)),
});

/** The scheduled reconciler, and its own handover of an erasure it could not finish (`{"erasure": …}`). */
export const handler = platform.traceHandler(reconcile);
