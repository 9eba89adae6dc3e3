import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll } from 'vitest';
import { synthesize, TWO_CLIENTS_CONTEXT } from './synth';
import { logicalIdOf, type Resources, type Statement } from './template-queries';

// No bundling here: grants, environments, routes and triggers do not depend on the code
// (image-proxy-stack-*.test.ts bundle the real functions once).

export type FunctionName = 'Upload' | 'Presign' | 'Objects' | 'CheckUpload';
export const FUNCTIONS: readonly FunctionName[] = ['Upload', 'Presign', 'Objects', 'CheckUpload'];

/** The default-config stack (two clients, unbundled) and the ids the capability-function tests look up in it. */
export interface DefaultCapabilityStack {
  readonly template: Template;
  readonly bucket: string;
  readonly bucketArn: unknown;
  readonly distribution: string;
  readonly functionIds: Record<FunctionName, string>;
  /** The function's resource in the template. */
  readonly fn: (name: FunctionName) => Resources[string];
  /** The statement that lets the function write to its own log group. */
  readonly logsStatement: (name: FunctionName) => Statement;
}

/** Synthesized once for the run (support/synth.ts); call it in a `beforeAll`, not at collection. */
export function defaultCapabilityStack(): DefaultCapabilityStack {
  const { template } = synthesize(TWO_CLIENTS_CONTEXT);
  const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageImages');
  const functionIds = Object.fromEntries(
    FUNCTIONS.map((name) => [name, logicalIdOf(template, 'AWS::Lambda::Function', `${name}Function`)]),
  ) as Record<FunctionName, string>;
  return {
    template,
    bucket,
    bucketArn: { 'Fn::GetAtt': [bucket, 'Arn'] },
    distribution: logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution'),
    functionIds,
    fn: (name) => (template.toJSON().Resources as Resources)[functionIds[name]]!,
    logsStatement: (name) => ({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: {
        'Fn::GetAtt': [logicalIdOf(template, 'AWS::Logs::LogGroup', `${name}FunctionLogs`), 'Arn'],
      },
    }),
  };
}

/** Registers a `beforeAll` that hands the default-config stack to `assign` (a describe block's variables). */
export function onDefaultCapabilityStack(assign: (stack: DefaultCapabilityStack) => unknown): void {
  beforeAll(() => {
    assign(defaultCapabilityStack());
  });
}
