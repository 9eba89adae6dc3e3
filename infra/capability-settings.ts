import type { CapabilitySetting } from '../lambdas/capabilities/manifest';
import { ENV } from '../lambdas/adapters/env-names';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../lambdas/core/limits';
import type { DeployConfig } from './config';
import { renditionBoundsEnvironment } from './rendition-deploy-config';
import { sourceEnvironment } from './source-deploy-config';

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
    [ENV.tracingEnabled]: String(v.config.tracing),
  }),
  // The origins whose browsers may read the API's answers.
  cors: (v) => v.corsEnvironment(),
  // Which profile an upload that names none gets (loadFitDefaults).
  fit: ({ config }) => {
    const clientFits = config.clients
      .flatMap((client) => (client.fit === undefined ? [] : [`${client.name}=${client.fit}`]))
      .join(',');
    return { [ENV.defaultFit]: config.defaultFit, ...(clientFits && { [ENV.clientFits]: clientFits }) };
  },
  maxImageBytes: ({ config }) => ({ [ENV.maxImageBytes]: String(config.maxImageBytes) }),
  maxImagePixels: () => ({ [ENV.maxImagePixels]: String(DEFAULT_MAX_IMAGE_PIXELS) }),
  maxDirectUploadBytes: ({ config }) => ({ [ENV.maxDirectUploadBytes]: String(config.maxDirectUploadBytes) }),
  sourceFetch: ({ config }) => sourceEnvironment(config.source),
  presign: ({ config }) => ({
    [ENV.presignDefaultExpiresSeconds]: String(config.presignDefaultExpiresSeconds),
    [ENV.presignMaxExpiresSeconds]: String(config.presignMaxExpiresSeconds),
    [ENV.presignUploadLimit]: String(config.presignUploadLimit),
    [ENV.presignUploadWindowSeconds]: String(config.presignUploadWindowSeconds),
  }),
  cdnInvalidation: ({ config, distributionId }) => ({
    [ENV.cdnInvalidateOnDelete]: String(config.invalidateOnDelete),
    ...(config.invalidateOnDelete && { [ENV.cdnDistributionId]: distributionId }),
  }),
  backgroundErasure: ({ config }) => ({
    [ENV.eraseInBackgroundAbove]: String(config.eraseInBackgroundAbove),
  }),
  renditions: ({ config }) => renditionBoundsEnvironment(config.renditions.bounds),
};

/** The environment of a function whose manifest declares `settings`. */
export function environmentOf(
  settings: readonly CapabilitySetting[],
  values: SettingValues,
): Record<string, string> {
  return Object.assign({}, ...settings.map((setting) => SETTING_WRITERS[setting](values)));
}
