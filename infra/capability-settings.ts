import type { CapabilitySetting } from '../lambdas/capabilities/manifest';
import { ENV } from '../lambdas/adapters/env-names';
import { erasureSettings } from '../lambdas/settings/erasure';
import { fitSettings } from '../lambdas/settings/fits';
import { invalidationSettings } from '../lambdas/settings/invalidation';
import { presignLifeSettings, presignQuotaSettings } from '../lambdas/settings/presign';
import { reconcileSettings } from '../lambdas/settings/reconcile';
import { renditionBoundSettings } from '../lambdas/settings/renditions';
import { environmentOf as settingsEnvironment } from '../lambdas/settings/setting';
import { sourceFetchSettings } from '../lambdas/settings/source-fetch';
import { tracingSettings } from '../lambdas/settings/tracing';
import {
  directUploadSettings,
  largestUploadBytes,
  maxImageBytesSettings,
  maxImagePixelsSettings,
} from '../lambdas/settings/upload-limits';
import type { DeployConfig } from './config';

/**
 * What every function's settings can be written from, known before any function is made: the
 * config and the bucket. The render function is made with these alone (it is an origin of the CDN,
 * which comes before the API and the clients).
 */
export interface FunctionSettingValues {
  readonly config: DeployConfig;
  /** `POWERTOOLS_SERVICE_NAME`: the `service` dimension of every metric (the stack's name). */
  readonly serviceName: string;
  readonly bucketName: string;
}

/** What the stack knows when it writes the API functions' environments: also the CDN's, the API's and the clients' names. */
export interface SettingValues extends FunctionSettingValues {
  readonly publicBaseUrl: string;
  /** `name=apiKeyId` pairs of every client (a token until deploy). */
  readonly clientKeyIds: string;
  /** `CORS_ORIGINS`, resolved at synthesis (origins can be added until then). */
  readonly corsEnvironment: () => Record<string, string>;
  readonly distributionId: string;
}

/** The values a writer is given: those of `SettingValues` made after a function may be absent. */
type KnownSettingValues = FunctionSettingValues & Partial<SettingValues>;

type SettingWriter = (values: KnownSettingValues) => Record<string, string>;

/** A value made after some function (the CDN's, the API's, the clients'); throws where it is not made yet. */
function made<K extends Exclude<keyof SettingValues, keyof FunctionSettingValues>>(
  values: KnownSettingValues,
  name: K,
): NonNullable<SettingValues[K]> {
  const value = values[name];
  if (value === undefined) {
    throw new Error(
      `capability settings: ${name} is not known where this function is made (before the CDN, the API and the clients); ` +
        'declare only settings made from the config and the bucket in its manifest',
    );
  }
  return value as NonNullable<SettingValues[K]>;
}

const storage: SettingWriter = (v) => ({ [ENV.bucketName]: v.bucketName });
const publicBaseUrl: SettingWriter = (v) => ({ [ENV.publicBaseUrl]: made(v, 'publicBaseUrl') });
// The `service` dimension of every metric, and whether the Tracer records SDK calls.
const observability: SettingWriter = (v) => ({
  [ENV.serviceName]: v.serviceName,
  ...settingsEnvironment(v.config, [tracingSettings]),
});

/**
 * The environment each setting of a manifest (`CapabilitySetting`) writes, from the deploy
 * config: one writer per feature, read back at cold start by the function's `compose`.
 */
const SETTING_WRITERS: Readonly<Record<CapabilitySetting, SettingWriter>> = {
  storage,
  publicBaseUrl,
  observability,
  // What every API handler and the check read at cold start (loadCommonConfig, the platform).
  common: (v) => ({
    ...storage(v),
    ...publicBaseUrl(v),
    [ENV.clientKeyIds]: made(v, 'clientKeyIds'),
    ...observability(v),
  }),
  // The origins whose browsers may read the API's answers (a list that grows until synthesis).
  cors: (v) => made(v, 'corsEnvironment')(),
  // Which profile an upload that names none gets (loadFitDefaults).
  fit: ({ config }) => {
    const clientFits = new Map(
      config.clients.flatMap((client) =>
        client.fit === undefined ? [] : [[client.name, client.fit] as const],
      ),
    );
    return settingsEnvironment({ defaultFit: config.defaultFit, clientFits }, fitSettings);
  },
  maxImageBytes: ({ config }) => settingsEnvironment(config, [maxImageBytesSettings]),
  maxImagePixels: ({ config }) => settingsEnvironment(config, [maxImagePixelsSettings]),
  maxDirectUploadBytes: ({ config }) => settingsEnvironment(config, [directUploadSettings]),
  // A kept original is as large as the largest upload any route accepts; the render function
  // reads it as MAX_DIRECT_UPLOAD_BYTES, its own cap on reading a source.
  maxSourceBytes: ({ config }) =>
    settingsEnvironment(
      {
        maxDirectUploadBytes: largestUploadBytes({
          maxImageBytes: config.maxImageBytes,
          maxDirectUploadBytes: config.maxDirectUploadBytes,
          sourceMaxBytes: config.source.maxBytes,
        }),
      },
      [directUploadSettings],
    ),
  sourceFetch: ({ config }) => settingsEnvironment(config.source, [sourceFetchSettings]),
  presign: ({ config }) => settingsEnvironment(config, [presignLifeSettings, presignQuotaSettings]),
  cdnInvalidation: (v) => ({
    ...settingsEnvironment(v.config, [invalidationSettings]),
    ...(v.config.invalidateOnDelete && { [ENV.cdnDistributionId]: made(v, 'distributionId') }),
  }),
  backgroundErasure: ({ config }) => settingsEnvironment(config, [erasureSettings]),
  renditions: ({ config }) => settingsEnvironment(config.renditions.bounds, [renditionBoundSettings]),
  reconcile: ({ config }) => settingsEnvironment(config, [reconcileSettings]),
};

/**
 * The environment of a function whose manifest declares `settings`: the loop's functions and the
 * constructs that make their own (CdnRenditions, CatalogueReconciler) all write it here. Given
 * only `FunctionSettingValues`, a setting that needs a later resource's name throws.
 */
export function environmentOf(
  settings: readonly CapabilitySetting[],
  values: FunctionSettingValues | SettingValues,
): Record<string, string> {
  return Object.assign({}, ...settings.map((setting) => SETTING_WRITERS[setting](values)));
}
