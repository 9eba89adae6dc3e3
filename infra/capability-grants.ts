import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { ENV } from '../lambdas/adapters/env-names';
import type { CapabilityGrant } from '../lambdas/capabilities/manifest';
import type { DeployConfig } from './config';
import type { CapabilityFunction } from './constructs/capability-function';
import type { ImageCatalogue } from './constructs/image-catalogue';
import type { ImageStorage } from './constructs/image-storage';
import type { PresignQuotaTable } from './constructs/presign-quota-table';

/** What a manifest's grants are given on: the stack's loop and the CatalogueReconciler pass these. */
export interface GrantTargets {
  /** Whether deletes invalidate the CDN: a `cdnInvalidation` grant is given only then. */
  readonly config: Pick<DeployConfig, 'invalidateOnDelete'>;
  readonly storage: ImageStorage;
  readonly catalogue: ImageCatalogue;
  /** The CDN whose paths a `cdnInvalidation` grant invalidates. */
  readonly distribution: cloudfront.IDistribution;
  /** The presign quota table. @default - none: a `presignQuota` grant throws */
  readonly presignQuota?: PresignQuotaTable;
}

/** Grants one permission of a manifest, with the environment that goes with it. */
function grant(fn: CapabilityFunction, granted: CapabilityGrant, targets: GrantTargets): void {
  switch (granted.to) {
    case 'objects':
      targets.storage.grantObjects(fn, granted.actions, granted.keyPrefix && `${granted.keyPrefix}*`);
      return;
    case 'listObjects':
      targets.storage.grantListObjects(fn);
      return;
    case 'catalogue':
      targets.catalogue.grantUse(fn, granted.use, { derivesKeys: granted.derivesKeys });
      return;
    case 'presignQuota':
      if (targets.presignQuota === undefined) {
        throw new Error(
          `grantCapability: ${fn.node.path} is granted the presign quota, but no table was given`,
        );
      }
      targets.presignQuota.grantCount(fn);
      fn.addEnvironment(ENV.presignQuotaTable, targets.presignQuota.table.tableName);
      return;
    case 'cdnInvalidation':
      if (targets.config.invalidateOnDelete) targets.distribution.grantCreateInvalidation(fn);
      return;
    case 'invokeItself':
      fn.grantInvokeItself();
  }
}

/** Grants a function what its manifest declares, in the manifest's order (so the policies come out the same). */
export function grantCapability(
  fn: CapabilityFunction,
  grants: readonly CapabilityGrant[],
  targets: GrantTargets,
): void {
  for (const granted of grants) grant(fn, granted, targets);
}
