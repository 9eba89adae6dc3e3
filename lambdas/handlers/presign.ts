import { fromEnv } from '@aws-sdk/credential-provider-env';
import { loadStorageLocation, requiredString } from '../adapters/config';
import { ENV } from '../adapters/env-names';
import { DynamoDbPresignQuota, quotaClientOnFirstUse } from '../adapters/presign-quota';
import { lambdaPlatform } from '../capabilities/lambda-platform';
import { composePresign } from '../capabilities/presign.compose';

// Built once per cold start; a bad setting fails here, naming its variable. Signs with the
// function role's credentials, which Lambda puts in the environment; no S3 call is made, so the
// S3 client (and ~400 KB of bundle) stays out of this function.
const platform = lambdaPlatform();
const region = loadStorageLocation(process.env).region;
const { api } = composePresign(process.env, {
  ...platform,
  signerCredentials: fromEnv(),
  presignQuota: (env, limit) =>
    new DynamoDbPresignQuota(
      quotaClientOnFirstUse(region, platform.traced),
      requiredString(env, ENV.presignQuotaTable),
      limit,
    ),
});

/** `POST /presign`. */
export const handler = platform.traceHandler(api);
