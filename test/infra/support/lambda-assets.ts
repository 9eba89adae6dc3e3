import { join } from 'node:path';
import { type App, Stage } from 'aws-cdk-lib';
import type { LambdaName } from '../../../infra/lambda-bundling';
import type { Synthesized } from './synth';
import { logicalIdOf, type Resources } from './template-queries';

/** The construct id of each function in the stack (`<id>Function` is its Lambda). */
export const CONSTRUCT_IDS: Record<LambdaName, string> = {
  upload: 'Upload',
  presign: 'Presign',
  objects: 'Objects',
  checkUpload: 'CheckUpload',
  render: 'Render',
  reconcile: 'CatalogueReconciler',
};

/** The folder a bundled synthesis staged `name`'s code in (its Lambda asset, unzipped). */
export function assetDirOf({ stack, template }: Synthesized, name: LambdaName): string {
  const fn = (template.toJSON().Resources as Resources)[
    logicalIdOf(template, 'AWS::Lambda::Function', `${CONSTRUCT_IDS[name]}Function`)
  ]!;
  const outdir = (Stage.of(stack) as App).outdir;
  return join(outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
}
