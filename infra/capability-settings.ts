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
  maxImageBytesSettings,
  maxImagePixelsSettings,
} from '../lambdas/settings/upload-limits';
import type { DeployConfig } from './config';

/** What the stack knows when it writes the functions' environments: config and the resources' names. */
export interface SettingValues {
  readonly config: DeployConfig;
  readonly serviceName: string;
  readonly bucketName: string;
  readonly publicBaseUrl: string;
  /** `name=apiKeyId` pairs of every client (a token until deploy). */
  readonly clientKeyIds: string;
  /** `CORS_ORIGINS`, resolved at synthesis (origins can be added until then). */
  readonly corsEnvironment: () => Record<string, string>;
  readonly distributionId: string;
}

type SettingWriter = (values: SettingValues) => Record<string, string>;

/**
 * The environment each setting of a manifest (`CapabilitySetting`) writes, from the deploy
 * config: one writer per feature, read back at cold start by the function's `compose`.
 */
const SETTING_WRITERS: Readonly<Record<CapabilitySetting, SettingWriter>> = {
  // What every handler reads at cold start (loadCommonConfig): the `service` dimension of every
  // metric, and whether the Tracer records SDK calls.
  common: (v) => ({
    [ENV.bucketName]: v.bucketName,
    [ENV.publicBaseUrl]: v.publicBaseUrl,
    [ENV.clientKeyIds]: v.clientKeyIds,
    [ENV.serviceName]: v.serviceName,
    ...settingsEnvironment(v.config, [tracingSettings]),
  }),
  // The origins whose browsers may read the API's answers (a list that grows until synthesis).
  cors: (v) => v.corsEnvironment(),
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
  sourceFetch: ({ config }) => settingsEnvironment(config.source, [sourceFetchSettings]),
  presign: ({ config }) => settingsEnvironment(config, [presignLifeSettings, presignQuotaSettings]),
  cdnInvalidation: ({ config, distributionId }) => ({
    ...settingsEnvironment(config, [invalidationSettings]),
    ...(config.invalidateOnDelete && { [ENV.cdnDistributionId]: distributionId }),
  }),
  backgroundErasure: ({ config }) => settingsEnvironment(config, [erasureSettings]),
  renditions: ({ config }) => settingsEnvironment(config.renditions.bounds, [renditionBoundSettings]),
  reconcile: () => settingsEnvironment({}, [reconcileSettings]),
};

/** The environment of a function whose manifest declares `settings`. */
export function environmentOf(
  settings: readonly CapabilitySetting[],
  values: SettingValues,
): Record<string, string> {
  return Object.assign({}, ...settings.map((setting) => SETTING_WRITERS[setting](values)));
}
