import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/adapters/env-names';
import { DEFAULT_MAX_DIRECT_UPLOAD_BYTES, DEFAULT_MAX_IMAGE_PIXELS } from '../../lambdas/core/limits';
import {
  type DefaultCapabilityStack,
  onDefaultCapabilityStack,
  FUNCTIONS,
} from './support/default-capability-stack';
import { logicalIdOf } from './support/template-queries';

describe('capability functions (default config)', () => {
  let template: Template, bucket: string, distribution: string, fn: DefaultCapabilityStack['fn'];
  /** The console's origin (the CDN's), which the deployment adds to the API's CORS origins itself. */
  const consoleOrigin = {
    'Fn::Join': [
      '',
      ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^CdnDistribution/), 'DomainName'] }],
    ],
  };
  // Prepare (synthesized once for the run: support/synth.ts)
  onDefaultCapabilityStack((stack) => ({ template, bucket, distribution, fn } = stack));

  describe('environment', () => {
    it('gives every function the shared settings loadCommonConfig requires, by the shared names', () => {
      // Prepare
      const upload = fn('Upload').Properties.Environment.Variables;

      // Assess
      for (const name of FUNCTIONS) {
        const variables = fn(name).Properties.Environment.Variables;
        expect(variables[ENV.bucketName]).toEqual({ Ref: bucket });
        for (const shared of [ENV.publicBaseUrl, ENV.clientKeyIds])
          expect(variables[shared]).toEqual(upload[shared]);
        // The metrics' `service` dimension and the Tracer's switch.
        expect(variables[ENV.serviceName]).toBe('S3ImageProxy');
        expect(variables[ENV.tracingEnabled]).toBe('false');
      }
    });

    it.each([
      [
        'Presign',
        {
          [ENV.presignDefaultExpiresSeconds]: '3600',
          [ENV.presignMaxExpiresSeconds]: '86400',
          [ENV.maxDirectUploadBytes]: String(DEFAULT_MAX_DIRECT_UPLOAD_BYTES),
          [ENV.defaultFit]: 'universal',
          [ENV.presignQuotaTable]: { Ref: expect.stringMatching(/^PresignQuotaTable/) },
          [ENV.presignUploadLimit]: '1000',
          [ENV.presignUploadWindowSeconds]: '3600',
          // An API function: the browser origins of CORS, by default only the deployment's console.
          [ENV.corsOrigins]: consoleOrigin,
        },
      ],
      [
        'CheckUpload',
        {
          [ENV.maxDirectUploadBytes]: String(DEFAULT_MAX_DIRECT_UPLOAD_BYTES),
          [ENV.maxImagePixels]: String(DEFAULT_MAX_IMAGE_PIXELS),
          [ENV.defaultFit]: 'universal',
          [ENV.catalogueTable]: { Ref: expect.stringMatching(/^CatalogueTable/) },
          [ENV.keySecretArn]: { Ref: expect.stringMatching(/^CatalogueKeySecret/) },
        },
      ],
    ] as const)('sets exactly the %s function’s own settings from the config', (name, own) => {
      // Act
      const variables = fn(name).Properties.Environment.Variables;

      // Assess
      const {
        [ENV.bucketName]: _b,
        [ENV.publicBaseUrl]: _p,
        [ENV.clientKeyIds]: _c,
        [ENV.serviceName]: _s,
        [ENV.tracingEnabled]: _t,
        NODE_OPTIONS: _n,
        ...rest
      } = variables;
      expect(rest).toEqual(own);
    });

    it('gives the upload function the guard of uploads from a URL, at its defaults', () => {
      // Act
      const variables = fn('Upload').Properties.Environment.Variables;

      // Assess
      expect(variables).toMatchObject({
        [ENV.sourceAllowHttp]: 'false',
        [ENV.sourceAllowedPorts]: '443,80',
        [ENV.sourceHeaderAllowlist]: 'authorization',
        [ENV.sourceMaxRedirects]: '3',
        [ENV.sourceTimeoutMs]: '10000',
        [ENV.sourceStallTimeoutMs]: '5000',
        [ENV.sourceMaxBytes]: String(32 * 1024 * 1024),
      });
      expect(variables[ENV.sourceHostAllowlist]).toBeUndefined();
      expect(variables[ENV.sourceDenyCidrs]).toBeUndefined();
    });

    it('never gives any function a local-mode setting: the deployed guard has no loopback exceptions', () => {
      // Assess
      for (const name of FUNCTIONS) {
        const variables = Object.keys(fn(name).Properties.Environment.Variables);
        expect(variables).not.toContain(ENV.localSourceLoopbackAllowlist);
        expect(variables.filter((variable) => variable.startsWith('LOCAL_'))).toEqual([]);
      }
    });

    it('tells the objects function to invalidate this distribution on delete', () => {
      // Act
      const variables = fn('Objects').Properties.Environment.Variables;

      // Assess
      const {
        [ENV.bucketName]: _b,
        [ENV.publicBaseUrl]: _p,
        [ENV.clientKeyIds]: _c,
        [ENV.serviceName]: _s,
        [ENV.tracingEnabled]: _t,
        NODE_OPTIONS: _n,
        ...rest
      } = variables;
      expect(rest).toEqual({
        [ENV.cdnInvalidateOnDelete]: 'true',
        [ENV.eraseInBackgroundAbove]: '100',
        [ENV.cdnDistributionId]: { Ref: distribution },
        [ENV.corsOrigins]: consoleOrigin,
        [ENV.catalogueTable]: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table', 'CatalogueTable') },
      });
    });

    it('sizes each function for its work: presign 256 MB, API functions 512 MB / 20 s, the check 1769 MB (one vCPU) / 60 s', () => {
      // Assess
      expect(fn('Presign').Properties).toMatchObject({ MemorySize: 256, Timeout: 20 });
      expect(fn('Objects').Properties).toMatchObject({ MemorySize: 512, Timeout: 20 });
      expect(fn('Upload').Properties).toMatchObject({ MemorySize: 1769 });
      // --enable-source-maps only with -c sourceMapStackTraces=true: it costs every cold start.
      for (const name of FUNCTIONS)
        expect(fn(name).Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      expect(fn('CheckUpload').Properties).toMatchObject({
        MemorySize: 1769,
        Timeout: 60,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
      });
    });
  });
});
