import './support/isolated-home';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/adapters/env-names';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import { logicalIdOf, roleStatements, type Resources } from './support/template-queries';

describe('capability functions (non-default config)', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare
    template = synthesize({
      ...TWO_CLIENTS_CONTEXT,
      presignDefaultExpiresSeconds: 600,
      presignMaxExpiresSeconds: 604_800,
      maxDirectUploadBytes: 1024 * 1024 * 1024,
      invalidateOnDelete: false,
    }).template;
  });

  it('passes the presign settings and the direct-upload cap through by the shared names', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^POST /presign'),
      Environment: {
        Variables: Match.objectLike({
          [ENV.presignDefaultExpiresSeconds]: '600',
          [ENV.presignMaxExpiresSeconds]: '604800',
          [ENV.maxDirectUploadBytes]: '1073741824',
        }),
      },
    });
  });

  it('gives the check function memory and time for the larger cap', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('checks presigned uploads'),
      MemorySize: 3072,
      Timeout: 103,
      Environment: { Variables: Match.objectLike({ [ENV.maxDirectUploadBytes]: '1073741824' }) },
    });
  });

  it('turns invalidation off: no CloudFront grant and no distribution id for the objects function', () => {
    // Prepare
    const objects = logicalIdOf(template, 'AWS::Lambda::Function', 'ObjectsFunction');

    // Act
    const actions = roleStatements(template, 'ObjectsFunctionRole').flatMap((statement) =>
      [statement.Action].flat(),
    );
    const variables = (template.toJSON().Resources as Resources)[objects]!.Properties.Environment.Variables;

    // Assess
    expect(actions.filter((action) => action.startsWith('cloudfront:'))).toEqual([]);
    expect(variables[ENV.cdnInvalidateOnDelete]).toBe('false');
    expect(variables[ENV.cdnDistributionId]).toBeUndefined();
  });
});

describe('capability functions (uploads from a URL configured)', () => {
  it('passes the configured guard of uploads from a URL to the upload function only', () => {
    // Prepare
    const { template } = synthesize({
      ...TWO_CLIENTS_CONTEXT,
      sourceAllowHttp: true,
      sourceAllowedPorts: [443, 8448],
      sourceHostAllowlist: ['matrix.example.org', '*.example.net'],
      sourceDenyCidrs: ['93.184.216.0/24', '2606:4700::/32'],
      sourceHeaderAllowlist: [],
      sourceMaxRedirects: 1,
      sourceTimeoutMs: 4000,
      sourceMaxBytes: 5_000_000,
    });
    const functions = template.findResources('AWS::Lambda::Function') as Resources;
    const variablesOf = (name: string) =>
      functions[logicalIdOf(template, 'AWS::Lambda::Function', `${name}Function`)]!.Properties.Environment
        .Variables;

    // Assess
    expect(variablesOf('Upload')).toMatchObject({
      [ENV.sourceAllowHttp]: 'true',
      [ENV.sourceAllowedPorts]: '443,8448',
      [ENV.sourceHostAllowlist]: 'matrix.example.org,*.example.net',
      [ENV.sourceDenyCidrs]: '93.184.216.0/24,2606:4700::/32',
      [ENV.sourceHeaderAllowlist]: 'none',
      [ENV.sourceMaxRedirects]: '1',
      [ENV.sourceTimeoutMs]: '4000',
      [ENV.sourceStallTimeoutMs]: '4000',
      [ENV.sourceMaxBytes]: '5000000',
    });
    for (const name of ['Presign', 'Objects', 'CheckUpload']) {
      expect(Object.keys(variablesOf(name)).filter((variable) => variable.startsWith('SOURCE_'))).toEqual([]);
    }
  });
});
