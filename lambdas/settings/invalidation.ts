import { ENV } from '../adapters/env-names';
import { requiredString } from '../adapters/config';
import { ConfigError, type Env, loadSettings } from './setting';
import { booleanSetting } from './setting-kinds';

export const invalidationSettings = {
  /** Whether deleting an object also invalidates the CDN's cached copy. */
  invalidateOnDelete: booleanSetting({
    contextKey: 'invalidateOnDelete',
    envName: ENV.cdnInvalidateOnDelete,
    fallback: true,
    example: 'false',
  }),
};

/** Whether and where deletes invalidate the CDN. */
export type InvalidationConfig =
  | { readonly enabled: false }
  | { readonly enabled: true; readonly distributionId: string };

/** Reads `CDN_INVALIDATE_ON_DELETE` (default on) and, when on, the required `CDN_DISTRIBUTION_ID`. */
export function loadInvalidationConfig(env: Env): InvalidationConfig {
  if (!loadSettings(invalidationSettings, env).invalidateOnDelete) return { enabled: false };
  const distributionId = requiredString(env, ENV.cdnDistributionId);
  if (!/^[A-Z0-9]{8,32}$/.test(distributionId)) {
    throw new ConfigError(
      `${ENV.cdnDistributionId} must be a CloudFront distribution id such as E2ABCDEF123456, got "${distributionId}"`,
    );
  }
  return { enabled: true, distributionId };
}
