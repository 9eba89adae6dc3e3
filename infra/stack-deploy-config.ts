import { cliFix } from '../lambdas/settings/setting';
import {
  booleanSetting,
  oneOfSetting,
  patternSetting,
  wholeNumberSetting,
} from '../lambdas/settings/setting-kinds';

/** Deploy-only settings of the stack as a whole: its name, what `cdk destroy` keeps, how long objects live. */
export const stackSettings = {
  stackName: patternSetting<string>({
    contextKey: 'stackName',
    fallback: 'S3ImageProxy',
    pattern: /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
    expected: 'a CloudFormation stack name (a letter, then letters, digits and -)',
    example: 'S3ImageProxy',
  }),
  /** Whether `cdk destroy` keeps the buckets and log groups (`retain`) or deletes them. */
  removalPolicy: oneOfSetting({
    contextKey: 'removalPolicy',
    fallback: 'retain',
    allowed: ['retain', 'destroy'] as const,
    example: 'retain',
  }),
  /** Days after which stored images are deleted; undefined: kept until deleted. */
  objectExpirationDays: wholeNumberSetting({
    contextKey: 'objectExpirationDays',
    fallback: undefined,
    min: 1,
    max: 36_500,
    fix: `${cliFix('objectExpirationDays', '7')}, or leave it unset to keep objects`,
  }),
  /** `--enable-source-maps` on every function: stacks at the sources, for ≈17 ms per cold start. */
  sourceMapStackTraces: booleanSetting({
    contextKey: 'sourceMapStackTraces',
    fallback: false,
    example: 'true',
  }),
};
