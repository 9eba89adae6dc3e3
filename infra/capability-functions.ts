import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { Construct } from 'constructs';
import { API_CAPABILITIES } from '../lambdas/capabilities/api-capabilities';
import { checkUploadCapability } from '../lambdas/capabilities/check-upload';
import type { ApiRoute, CapabilityManifest, JsonBodyModel } from '../lambdas/capabilities/manifest';
import type { DeployConfig } from './config';
import { grantCapability } from './capability-grants';
import { environmentOf, type SettingValues } from './capability-settings';
import { CapabilityFunction, type CapabilityFunctionProps } from './constructs/capability-function';
import type { ImageApi } from './constructs/image-api';
import type { ImageCatalogue } from './constructs/image-catalogue';
import type { ImageCdn } from './constructs/image-cdn';
import type { ImageStorage } from './constructs/image-storage';
import type { PresignQuotaTable } from './constructs/presign-quota-table';
import {
  PRESIGN_REQUEST_SCHEMA,
  RENDITION_REQUEST_SCHEMA,
  UPLOAD_REQUEST_SCHEMA,
} from './constructs/request-models';
import { checkFunctionMemoryMiB, checkFunctionTimeout } from './constructs/upload-check-trigger';

/** The functions the stack creates from their manifests (render is the CdnRenditions construct's). */
export type ManifestFunctionName = 'upload' | 'presign' | 'objects' | 'checkUpload';

/** What a manifest's grants, settings and routes are interpreted against. */
export interface CapabilityWiring {
  readonly config: DeployConfig;
  readonly storage: ImageStorage;
  readonly catalogue: ImageCatalogue;
  readonly presignQuota: PresignQuotaTable;
  readonly cdn: ImageCdn;
  readonly api: ImageApi;
  readonly settings: SettingValues;
  /** Props every function shares (logs, tracing, source maps). */
  readonly functionDefaults: Partial<CapabilityFunctionProps>;
}

const BODY_SCHEMAS: Readonly<Record<JsonBodyModel, apigw.JsonSchema>> = {
  UploadRequest: UPLOAD_REQUEST_SCHEMA,
  RenditionRequest: RENDITION_REQUEST_SCHEMA,
  PresignRequest: PRESIGN_REQUEST_SCHEMA,
};

/** Size and invocation of each function: deployment choices, not part of what it may do. */
function sizingOf(name: ManifestFunctionName, config: DeployConfig): Partial<CapabilityFunctionProps> {
  switch (name) {
    // libvips decodes a 100 MP image in well under 1 GiB with shrink-on-load; memory buys CPU
    // (functionMemory, chosen by measurement: docs/benchmarks.md).
    case 'upload':
      return { memorySize: config.functionMemory.upload };
    case 'presign':
      return { memorySize: 256 };
    case 'objects':
      return {
        selfInvocationNoDlqReason:
          'API Gateway invokes it synchronously (a failure is answered with a 5xx the caller retries). It also invokes ' +
          'itself asynchronously to erase a large folder in the background; a failed run is retried twice by Lambda, ' +
          'and an erasure left running is recorded in the catalogue table (state, count) and continued by the next ' +
          'DELETE of its folder, so a dead-letter queue would hold nothing that is not already recorded there. ' +
          'Failures count in the function’s error alarm.',
      };
    // At least what holding the largest upload whole needs.
    case 'checkUpload':
      return {
        invocation: 'asynchronous',
        memorySize: Math.max(
          config.functionMemory.checkUpload,
          checkFunctionMemoryMiB(config.maxDirectUploadBytes),
        ),
        timeout: checkFunctionTimeout(config.maxDirectUploadBytes),
      };
  }
}

/** Adds a function's API methods, in its manifest's order; each body model is made on first use. */
function addRoutes(fn: CapabilityFunction, routes: readonly ApiRoute[], wiring: CapabilityWiring): void {
  for (const route of routes) {
    const model = route.jsonBodyModel;
    wiring.api.addLambdaRoute(route.method, route.resource, fn.function, {
      ...(model && { jsonBodyModel: wiring.api.jsonModel(model, BODY_SCHEMAS[model]) }),
      ...(route.apiKeyRequired === false && { apiKeyRequired: false }),
    });
  }
}

/** Construct id of a function: `UploadFunction`, `CheckUploadFunction` (public contract: logical ids). */
const functionIdOf = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}Function`;

/** One function from its manifest: the function, its environment, its grants, its routes. */
function addCapabilityFunction(
  scope: Construct,
  manifest: CapabilityManifest,
  wiring: CapabilityWiring,
): CapabilityFunction {
  const name = manifest.name as ManifestFunctionName;
  const fn = new CapabilityFunction(scope, functionIdOf(name), {
    ...wiring.functionDefaults,
    // Each function's ceiling of concurrent runs: a cost bound that holds whatever arrives.
    reservedConcurrency: wiring.config.reservedConcurrency?.[name],
    capability: name,
    description: manifest.description,
    ...sizingOf(name, wiring.config),
    environment: environmentOf(manifest.settings, wiring.settings),
  });
  grantCapability(fn, manifest.grants, { ...wiring, distribution: wiring.cdn.distribution });
  addRoutes(fn, manifest.routes, wiring);
  return fn;
}

/** Every function declared by a manifest, created in the order of `API_CAPABILITIES`, then the check. */
export function addCapabilityFunctions(
  scope: Construct,
  wiring: CapabilityWiring,
): Record<ManifestFunctionName, CapabilityFunction> {
  const manifests: readonly CapabilityManifest[] = [...API_CAPABILITIES, checkUploadCapability];
  const functions = Object.fromEntries(
    manifests.map((manifest) => [manifest.name, addCapabilityFunction(scope, manifest, wiring)]),
  );
  return functions as Record<ManifestFunctionName, CapabilityFunction>;
}
