import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/lambda-bundling';
import { FEATURE_FLAGS } from './support/synth';

const recommended = JSON.parse(
  readFileSync(join(REPO_ROOT, 'node_modules/aws-cdk-lib/recommended-feature-flags.json'), 'utf8'),
) as Record<string, unknown>;

describe('CDK feature flags', () => {
  it('cdk.json sets every flag the installed aws-cdk-lib recommends, at its recommended value, as a new app would', () => {
    // Assess
    expect(Object.keys(recommended).length).toBeGreaterThan(50);
    for (const [flag, value] of Object.entries(recommended)) expect(FEATURE_FLAGS[flag], flag).toEqual(value);
  });

  it('includes the flag that delivers S3 server access logs under a bucket policy instead of an ACL', () => {
    expect(FEATURE_FLAGS['@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy']).toBe(true);
  });
});
