import { fromEnv } from '@aws-sdk/credential-provider-env';
import {
  loadCommonConfig,
  loadFitDefaults,
  loadPresignLimit,
  loadPresignSettings,
  requiredString,
} from '../adapters/config';
import { ENV } from '../adapters/env-names';
import { loadCorsOrigins, withCors } from '../adapters/cors';
import { createLogger } from '../adapters/logger';
import { createMetrics, FunctionMetrics } from '../adapters/metrics';
import { onFirstUse } from '../adapters/on-first-use';
import { DynamoDbPresignQuota } from '../adapters/presign-quota';
import { createTracer, traceClient, withTracing } from '../adapters/tracing';
import { S3UrlSigner } from '../adapters/url-signer';
import { createPresignRoute } from '../routes/presign';

// Built once per cold start; a bad setting fails here, naming its variable.
const config = loadCommonConfig(process.env);
const tracer = createTracer();

// Signs with the function role's credentials, which Lambda puts in the environment; no S3
// call is made, so the S3 client (and ~400 KB of bundle) stays out of this function. The
// role needs s3:PutObject on _incoming/* and s3:GetObject on the namespaces for the URLs to work.
export const handler = withTracing(
  tracer,
  withCors(
    loadCorsOrigins(process.env),
    createPresignRoute({
      signer: new S3UrlSigner({
        credentials: fromEnv(),
        region: config.storage.region,
        bucketName: config.storage.bucketName,
        endpoint: config.storage.s3Endpoint,
      }),
      clientsByKeyId: config.clientsByKeyId,
      publicBaseUrl: config.storage.publicBaseUrl,
      settings: loadPresignSettings(process.env),
      fits: loadFitDefaults(process.env),
      logger: createLogger(),
      metrics: new FunctionMetrics(createMetrics(), 'presign'),
      // The one AWS call of this function: one conditional counter update per request that asks for PUTs.
      quota: new DynamoDbPresignQuota(
        onFirstUse(async () =>
          traceClient(
            tracer,
            (await import('../adapters/sdk/dynamodb-presign')).createDynamoDbClient(config.storage.region),
          ),
        ),
        requiredString(process.env, ENV.presignQuotaTable),
        loadPresignLimit(process.env),
      ),
    }),
  ),
);
