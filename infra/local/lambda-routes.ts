import type { S3Client } from '@aws-sdk/client-s3';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { ConfigError } from '../../lambdas/adapters/config';
import { ENV } from '../../lambdas/adapters/env-names';
import { loadSourceFetchSettings, type SourceFetchSettings } from '../../lambdas/settings/source-fetch';
import {
  createSourceFetcher,
  type HostResolver,
  type SourceTransport,
} from '../../lambdas/adapters/source-fetcher';
import { NO_CDN_INVALIDATION } from '../../lambdas/adapters/cdn-invalidator';
import { InMemoryPresignQuota } from '../../lambdas/adapters/presign-quota';
import { API_CAPABILITIES } from '../../lambdas/capabilities/api-capabilities';
import { API_COMPOSITIONS } from '../../lambdas/capabilities/api-capabilities.compose';
import { composeCheckUpload } from '../../lambdas/capabilities/check-upload.compose';
import type { ObjectsPlatform, PresignPlatform, UploadPlatform } from '../../lambdas/capabilities/platform';
import { listItems, parseLoopbackExceptions } from '../../lambdas/core/source-policy';
import { inProcessDispatcher } from '../../lambdas/routes/folder-erasure';
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

/** Every platform local mode stands in for: plain clients on loopback, the process's one Metrics. */
export type LocalPlatform = UploadPlatform & PresignPlatform & ObjectsPlatform;

/** The platform of every function in local mode. */
export function localPlatform(
  s3: S3Client,
  metrics: Metrics,
  sourceNetwork: LocalSourceNetwork = {},
): LocalPlatform {
  return {
    traced: (client) => client,
    metrics,
    s3,
    sourceFetcher: (env) => createSourceFetcher(loadLocalSourceFetchSettings(env), sourceNetwork),
    // Presigned URLs point at the embedded S3, signed with its fixed local credentials.
    signerCredentials: s3.config.credentials,
    // One process: the ceiling is counted in memory, in the same windows as the table on AWS.
    presignQuota: (_env, limit) => new InMemoryPresignQuota(limit),
    // The CDN stand-in caches nothing, so there is nothing to invalidate.
    invalidator: () => NO_CDN_INVALIDATION,
    // Large folders are erased after the answer, in this process: the self-invocation's stand-in.
    erasureDispatcher: (worker) => inProcessDispatcher(worker),
  };
}

/**
 * The API's methods as each function's manifest declares them, wired to the handler its
 * composition builds, as the Lambda entries do, from the same environment variable names.
 */
export function buildLambdaRoutes(env: Env, platform: LocalPlatform): LocalRoute[] {
  return API_CAPABILITIES.flatMap((capability) => {
    const { api } = API_COMPOSITIONS[capability.name](env, platform);
    return capability.routes.map(({ method, resource, apiKeyRequired }) => ({
      method,
      resource,
      handler: api,
      ...(apiKeyRequired === false && { apiKeyRequired }),
    }));
  });
}

/** The check of presigned uploads, as the S3 notification on `_incoming/` runs it on AWS. */
export function buildUploadCheck(env: Env, platform: LocalPlatform) {
  return composeCheckUpload(env, platform).check;
}
