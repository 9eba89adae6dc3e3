import type { S3Client } from '@aws-sdk/client-s3';
import type { CommonConfig } from '../../lambdas/adapters/config';
import { loadFitDefaults } from '../../lambdas/settings/fits';
import { loadMaxDirectUploadBytes, loadUploadLimits } from '../../lambdas/settings/upload-limits';
import { loadPresignLimit, loadPresignSettings } from '../../lambdas/settings/presign';
import { loadSourceFetchSettings, type SourceFetchSettings } from '../../lambdas/settings/source-fetch';
import { ConfigError } from '../../lambdas/adapters/config';
import { ENV } from '../../lambdas/adapters/env-names';
import { withCors } from '../../lambdas/adapters/cors';
import { loadCorsOrigins } from '../../lambdas/settings/cors';
import {
  createSourceFetcher,
  type HostResolver,
  type SourceTransport,
} from '../../lambdas/adapters/source-fetcher';
import { listItems, parseLoopbackExceptions } from '../../lambdas/core/source-policy';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { FunctionMetrics } from '../../lambdas/adapters/metrics';
import { InMemoryPresignQuota } from '../../lambdas/adapters/presign-quota';
import { NO_CDN_INVALIDATION } from '../../lambdas/adapters/cdn-invalidator';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { loadCatalogueDeps } from '../../lambdas/adapters/catalogue-config';
import { createLogger } from '../../lambdas/adapters/logger';
import { S3UrlSigner } from '../../lambdas/adapters/url-signer';
import { createCheckUploadRoute } from '../../lambdas/routes/check-upload';
import { API_RESOURCES } from '../../lambdas/core/api-resources';
import { createObjectsRoute, type ObjectsDeps } from '../../lambdas/routes/objects';
import { loadBackgroundErasure } from '../../lambdas/adapters/erasure-config';
import {
  createErasureWorker,
  folderErasureDeps,
  inProcessDispatcher,
} from '../../lambdas/routes/folder-erasure';
import { createRenditionRoute } from '../../lambdas/routes/rendition';
import { createPresignRoute } from '../../lambdas/routes/presign';
import { createUploadImageRoute } from '../../lambdas/routes/upload-image';
import type { LocalRoute } from './route-table';

type Env = Readonly<Record<string, string | undefined>>;

/** What tests may put in place of the network for uploads from a URL. */
export interface LocalSourceNetwork {
  /** Name resolution instead of the system's (tests map names to chosen addresses). */
  readonly resolve?: HostResolver;
  /** The request of each hop instead of Node's http(s) (tests refuse anything but loopback). */
  readonly transport?: SourceTransport;
}

/**
 * The `SOURCE_*` settings as on Lambda, plus what only local mode reads:
 * `LOCAL_SOURCE_LOOPBACK_ALLOWLIST`, the loopback `address:port` pairs its tests fetch from.
 */
export function loadLocalSourceFetchSettings(env: Env): SourceFetchSettings {
  const settings = loadSourceFetchSettings(env);
  const raw = env[ENV.localSourceLoopbackAllowlist]?.trim();
  if (!raw) return settings;
  try {
    return {
      ...settings,
      policy: { ...settings.policy, loopbackExceptions: parseLoopbackExceptions(listItems(raw)) },
    };
  } catch (err) {
    throw new ConfigError(`${ENV.localSourceLoopbackAllowlist}: ${(err as Error).message}`);
  }
}

/**
 * The API's methods wired to the same route code the Lambda entries run, configured from the
 * same environment variable names (`lambdas/adapters/env-names.ts`).
 */
export function buildLambdaRoutes(
  env: Env,
  config: CommonConfig,
  s3: S3Client,
  metrics: Metrics,
  sourceNetwork: LocalSourceNetwork = {},
): LocalRoute[] {
  const logger = createLogger();
  const store = new S3ImageStore(s3, config.storage.bucketName);
  const common = {
    clientsByKeyId: config.clientsByKeyId,
    publicBaseUrl: config.storage.publicBaseUrl,
    logger,
  };
  const catalogue = loadCatalogueDeps(env);
  const fits = loadFitDefaults(env);
  const limits = loadUploadLimits(env);
  const uploadMetrics = new FunctionMetrics(metrics, 'upload');
  const upload = createUploadImageRoute({
    ...common,
    store,
    limits,
    fits,
    sourceFetcher: createSourceFetcher(loadLocalSourceFetchSettings(env), sourceNetwork),
    metrics: uploadMetrics,
    catalogue,
  });
  const rendition = createRenditionRoute({
    ...common,
    metrics: uploadMetrics,
    store,
    limits,
    fits,
    maxSourceBytes: loadMaxDirectUploadBytes(env),
    catalogue,
  });
  const presign = createPresignRoute({
    ...common,
    // Presigned URLs point at the embedded S3, signed with its fixed local credentials.
    signer: new S3UrlSigner({
      credentials: s3.config.credentials,
      region: config.storage.region,
      bucketName: config.storage.bucketName,
      endpoint: config.storage.s3Endpoint,
    }),
    settings: loadPresignSettings(env),
    fits,
    metrics: new FunctionMetrics(metrics, 'presign'),
    // One process: the ceiling is counted in memory, in the same windows as the table on AWS.
    quota: new InMemoryPresignQuota(loadPresignLimit(env)),
  });
  // The CDN stand-in caches nothing, so there is nothing to invalidate.
  // Large folders are erased after the answer, in this process: the self-invocation's stand-in.
  const background = loadBackgroundErasure(
    env,
    inProcessDispatcher(() => erasureWorker),
  );
  const objectsDeps: ObjectsDeps = {
    ...common,
    store,
    invalidator: NO_CDN_INVALIDATION,
    metrics: new FunctionMetrics(metrics, 'objects'),
    catalogue,
    background,
  };
  const objects = createObjectsRoute(objectsDeps);
  const erasureWorker = createErasureWorker({ ...folderErasureDeps(objectsDeps, background), logger });
  const routes: LocalRoute[] = [
    { method: 'POST', resource: '/uploads', handler: upload },
    // Clients of the older proxy API post to the root.
    { method: 'POST', resource: '/', handler: upload },
    { method: 'POST', resource: API_RESOURCES.renditions, handler: rendition },
    { method: 'POST', resource: '/presign', handler: presign },
    { method: 'GET', resource: API_RESOURCES.uploadStatus, handler: objects },
    { method: 'GET', resource: API_RESOURCES.openApi, handler: objects, apiKeyRequired: false },
    { method: 'GET', resource: '/objects', handler: objects },
    { method: 'DELETE', resource: '/objects', handler: objects },
    { method: 'GET', resource: '/objects/{key+}', handler: objects },
    { method: 'DELETE', resource: '/objects/{key+}', handler: objects },
    { method: 'PATCH', resource: '/objects/{key+}', handler: objects },
    { method: 'GET', resource: API_RESOURCES.stats, handler: objects },
    { method: 'GET', resource: API_RESOURCES.erasure, handler: objects },
  ];
  // As the Lambda entries wrap their routes: the functions send the CORS headers of their answers.
  const corsOrigins = loadCorsOrigins(env);
  return routes.map((route) => ({ ...route, handler: withCors(corsOrigins, route.handler) }));
}

/** The check of presigned uploads, as the S3 notification on `_incoming/` runs it on AWS. */
export function buildUploadCheck(env: Env, config: CommonConfig, s3: S3Client, metrics: Metrics) {
  return createCheckUploadRoute({
    store: new S3ImageStore(s3, config.storage.bucketName),
    limits: loadUploadLimits(env),
    maxDirectUploadBytes: loadMaxDirectUploadBytes(env),
    publicBaseUrl: config.storage.publicBaseUrl,
    fits: loadFitDefaults(env),
    logger: createLogger(),
    metrics: new FunctionMetrics(metrics, 'checkUpload'),
    catalogue: loadCatalogueDeps(env),
  });
}
