import { type App, Stage } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll } from 'vitest';
import { synthesize, TWO_CLIENTS_CONTEXT } from './synth';
import { logicalIdOf } from './template-queries';

/** Six functions bundled by esbuild: past a minute on a shared 2-core host. */
export const BUNDLED_SYNTHESIS_TIMEOUT_MS = 240_000;

/** The default-config stack with its real code bundled, and the ids the ImageProxyStack tests look up in it. */
export interface BundledStack {
  readonly template: Template;
  /** Where the synthesis staged the code assets. */
  readonly assetOutdir: string;
  readonly imagesBucket: string;
  readonly logBucket: string;
  readonly cdnLogBucket: string;
}

/**
 * The one synthesis with esbuild bundling, shared by the run (support/synth.ts): call it in a
 * `beforeAll` given {@link BUNDLED_SYNTHESIS_TIMEOUT_MS}, not at collection.
 */
export function bundledStack(): BundledStack {
  const synthesized = synthesize(TWO_CLIENTS_CONTEXT, { bundle: true });
  const { template } = synthesized;
  return {
    template,
    assetOutdir: (Stage.of(synthesized.stack) as App).outdir,
    imagesBucket: logicalIdOf(template, 'AWS::S3::Bucket', 'StorageImages'),
    logBucket: logicalIdOf(template, 'AWS::S3::Bucket', 'StorageServerAccessLogs'),
    cdnLogBucket: logicalIdOf(template, 'AWS::S3::Bucket', 'StorageCdnLogs'),
  };
}

/** Registers a `beforeAll` that hands the bundled stack to `assign` (a describe block's variables). */
export function onBundledStack(assign: (stack: BundledStack) => unknown): void {
  beforeAll(() => {
    assign(bundledStack());
  }, BUNDLED_SYNTHESIS_TIMEOUT_MS);
}
