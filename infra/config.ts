import type { ProfileName } from '../lambdas/core/model-profiles';
import { corsSettings } from '../lambdas/settings/cors';
import { erasureSettings } from '../lambdas/settings/erasure';
import { defaultFitSettings } from '../lambdas/settings/fits';
import { invalidationSettings } from '../lambdas/settings/invalidation';
import { presignLifeSettings, presignQuotaSettings } from '../lambdas/settings/presign';
import { reconcileSettings } from '../lambdas/settings/reconcile';
import { type SettingGroup, readContext, type SettingValues } from '../lambdas/settings/setting';
import { type SourceDeployConfig, sourceFetchSettings } from '../lambdas/settings/source-fetch';
import { tracingSettings } from '../lambdas/settings/tracing';
import { directUploadSettings, maxImageBytesSettings } from '../lambdas/settings/upload-limits';
import {
  cdnSettings,
  type CustomDomainConfig,
  type PriceClassName,
  readCustomDomain,
} from './cdn-deploy-config';
import { type ClientConfig, readClients } from './client-config';
import { type FunctionMemoryConfig, readFunctionMemory } from './memory-deploy-config';
import {
  apiThrottleSettings,
  type FunctionName,
  operationsSettings,
  readReservedConcurrency,
} from './operations-deploy-config';
import { readRenditionConfig, type RenditionDeployConfig } from './rendition-deploy-config';
import { stackSettings } from './stack-deploy-config';

export { DeployConfigError } from './config-readers';
export type { SourceDeployConfig } from '../lambdas/settings/source-fetch';
export { outputIdOf, type ClientConfig, type QuotaPeriod } from './client-config';
export type { CustomDomainConfig, PriceClassName } from './cdn-deploy-config';
export { FUNCTION_NAMES, type FunctionName, LOG_RETENTION_DAYS } from './operations-deploy-config';

/**
 * Deploy-time configuration, read once from the CDK context (`cdk.json` "context", or
 * `-c key=value` on the command line) and checked here, so every mistake is reported
 * before anything is synthesized, naming the setting, the value received and the fix.
 * Each setting is declared once: what a function reads in its feature file under
 * `lambdas/settings/`, what only the stack reads in an `infra/*-deploy-config.ts`.
 */

/** The settings read straight from one context key each, spread into `DeployConfig`. */
const FLAT_GROUPS = [
  stackSettings,
  maxImageBytesSettings,
  defaultFitSettings,
  presignLifeSettings,
  directUploadSettings,
  invalidationSettings,
  operationsSettings,
  cdnSettings,
  presignQuotaSettings,
  erasureSettings,
  reconcileSettings,
  tracingSettings,
  corsSettings,
] as const;

type FlatValues = SettingValues<typeof stackSettings> &
  SettingValues<typeof maxImageBytesSettings> &
  SettingValues<typeof presignLifeSettings> &
  SettingValues<typeof directUploadSettings> &
  SettingValues<typeof invalidationSettings> &
  SettingValues<typeof operationsSettings> &
  SettingValues<typeof cdnSettings> &
  SettingValues<typeof presignQuotaSettings> &
  SettingValues<typeof erasureSettings> &
  SettingValues<typeof reconcileSettings> &
  SettingValues<typeof tracingSettings> &
  SettingValues<typeof corsSettings>;

/** Everything `cdk deploy` can be told (each field documented at its declaration). */
export interface DeployConfig extends Readonly<FlatValues> {
  readonly clients: readonly ClientConfig[];
  /** Profile of uploads that name none (`fit`), for clients without their own. */
  readonly defaultFit: ProfileName;
  readonly priceClass: PriceClassName;
  readonly customDomain?: CustomDomainConfig;
  /** Uploads from a URL (`sourceUrl`). */
  readonly source: SourceDeployConfig;
  /** Renditions made at the CDN (`renditions`: docs/cdn-renditions.md). */
  readonly renditions: RenditionDeployConfig;
  /** Stage-wide ceiling of the API, whatever the usage plans allow: requests per second and burst. */
  readonly apiThrottle: Readonly<SettingValues<typeof apiThrottleSettings>>;
  /** Reserved (and so maximum) concurrent executions per function; undefined: unreserved. */
  readonly reservedConcurrency?: Readonly<Record<FunctionName, number>>;
  /** Memory of the rendering functions in MB (their CPU share: 1,769 MB is one vCPU). */
  readonly functionMemory: FunctionMemoryConfig;
}

/** Keys read whole by their own reader (JSON objects, or two keys read together). */
const OBJECT_KEYS = [
  'clients',
  'domainName',
  'certificateArn',
  'renditions',
  'reservedConcurrency',
  'functionMemory',
];

const contextKeysOf = (groups: readonly SettingGroup[]) =>
  groups.flatMap((group) => Object.values(group).flatMap((setting) => setting.contextKey ?? []));

/** The context keys this app reads; anything else in the context is CDK's own. */
export const CONTEXT_KEYS: readonly string[] = [
  ...contextKeysOf([...FLAT_GROUPS, sourceFetchSettings, apiThrottleSettings]),
  ...OBJECT_KEYS,
];
export type ContextKey = string;

/**
 * Validates the raw context values into a `DeployConfig`. Throws `DeployConfigError` on the
 * first bad value, naming the setting, the value received and how to fix it.
 */
export function readDeployConfig(context: Readonly<Partial<Record<ContextKey, unknown>>>): DeployConfig {
  const read = <G extends SettingGroup>(group: G) => readContext(group, (key) => context[key]);
  const flat = Object.assign({}, ...FLAT_GROUPS.map((group) => read(group))) as FlatValues &
    SettingValues<typeof defaultFitSettings>;
  return {
    ...flat,
    clients: readClients(context.clients),
    customDomain: readCustomDomain(context.domainName, context.certificateArn),
    source: read(sourceFetchSettings),
    renditions: readRenditionConfig(context.renditions),
    apiThrottle: read(apiThrottleSettings),
    reservedConcurrency: readReservedConcurrency(context.reservedConcurrency),
    functionMemory: readFunctionMemory(context.functionMemory),
  };
}
