import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeployConfigError, readDeployConfig } from '../../infra/config';
import { REPO_ROOT } from '../../infra/lambda-bundling';
import { FUNCTION_MEMORY_DEFAULTS } from '../../infra/memory-deploy-config';
import { DEFAULT_MAX_IMAGE_BYTES, DEFAULT_THROTTLE } from '../../lambdas/core/limits';
import { DEFAULT_RENDITION_MAX_EDGE_PX, DEFAULT_RENDITION_SIZES } from '../../lambdas/core/cdn-rendition';
import { clients } from './support/deploy-config-clients';

describe('readDeployConfig', () => {
  it('fills every default from a context that names only the clients', () => {
    // Act
    const config = readDeployConfig({ clients });

    // Assess
    expect(config).toEqual({
      stackName: 'S3ImageProxy',
      clients: [
        {
          name: 'default',
          rateLimit: 50,
          burstLimit: 100,
          quotaLimit: undefined,
          quotaPeriod: 'DAY',
          keyGeneration: 1,
        },
      ],
      maxImageBytes: DEFAULT_MAX_IMAGE_BYTES,
      defaultFit: 'universal',
      presignDefaultExpiresSeconds: 3600,
      presignMaxExpiresSeconds: 86_400,
      maxDirectUploadBytes: 100 * 1024 * 1024,
      invalidateOnDelete: true,
      logRetentionDays: 30,
      priceClass: 'PriceClass_100',
      customDomain: undefined,
      removalPolicy: 'retain',
      objectExpirationDays: undefined,
      webAclArn: undefined,
      geoAllowlist: undefined,
      source: {
        allowHttp: false,
        allowedPorts: [443, 80],
        denyCidrs: [],
        headerAllowlist: ['authorization'],
        maxRedirects: 3,
        timeoutMs: 10_000,
        stallTimeoutMs: 5_000,
        maxBytes: 32 * 1024 * 1024,
      },
      renditions: {
        enabled: true,
        bounds: { maxEdgePx: DEFAULT_RENDITION_MAX_EDGE_PX, sizes: DEFAULT_RENDITION_SIZES },
        expirationDays: 30,
      },
      apiThrottle: { rateLimit: 100, burstLimit: 200 },
      reservedConcurrency: { upload: 10, presign: 5, objects: 5, checkUpload: 5, render: 10 },
      presignUploadLimit: 1000,
      presignUploadWindowSeconds: 3600,
      eraseInBackgroundAbove: 100,
      reconcileEveryHours: 24,
      reconcileGraceSeconds: 600,
      tracing: false,
      corsOrigins: [],
      functionMemory: FUNCTION_MEMORY_DEFAULTS,
      sourceMapStackTraces: false,
    });
  });

  it('reads corsOrigins from a list or -c a,b, in the form browsers send', () => {
    // Act
    const fromList = readDeployConfig({ clients, corsOrigins: ['https://Console.Example.com'] });
    const fromCli = readDeployConfig({
      clients,
      corsOrigins: 'https://a.example.com, http://localhost:5173',
    });

    // Assess
    expect(fromList.corsOrigins).toEqual(['https://console.example.com']);
    expect(fromCli.corsOrigins).toEqual(['https://a.example.com', 'http://localhost:5173']);
  });

  it.each([
    ['*', /"\*" is refused: every route but \/health and \/openapi.json takes an API key/],
    ['https://console.example.com/app', /is not an origin: write scheme:\/\/host\[:port\]/],
  ])('refuses corsOrigins=%s at synth, saying why and how to fix it', (corsOrigins, why) => {
    // Act
    const read = () => readDeployConfig({ clients, corsOrigins });

    // Assess
    expect(read).toThrow(DeployConfigError);
    expect(read).toThrow(why);
    expect(read).toThrow(/pass -c corsOrigins=https:\/\/console.example.com/);
  });

  it('reads the operations settings: ceilings, alarm targets, tracing and a key rotation in progress', () => {
    // Act
    const config = readDeployConfig({
      clients: '{"alice":{"keyGeneration":3,"previousKeyGeneration":"2"}}',
      apiRateLimit: '40',
      apiBurstLimit: '80',
      reservedConcurrency: '{"upload": 4, "checkUpload": 2}',
      presignUploadLimit: '50',
      presignUploadWindowSeconds: '600',
      eraseInBackgroundAbove: '25',
      alarmEmail: 'ops@example.com',
      tracing: 'true',
    });

    // Assess
    expect(config).toMatchObject({
      clients: [{ name: 'alice', keyGeneration: 3, previousKeyGeneration: 2 }],
      apiThrottle: { rateLimit: 40, burstLimit: 80 },
      reservedConcurrency: { upload: 4, presign: 5, objects: 5, checkUpload: 2, render: 10 },
      presignUploadLimit: 50,
      presignUploadWindowSeconds: 600,
      eraseInBackgroundAbove: 25,
      alarmEmail: 'ops@example.com',
      tracing: true,
    });
    expect(readDeployConfig({ clients, reservedConcurrency: 'off' }).reservedConcurrency).toBeUndefined();
  });

  it('reads the rendering functions’ memory, a missing one keeping its default', () => {
    // Act
    const config = readDeployConfig({ clients, functionMemory: '{"upload": 3538}' });

    // Assess
    expect(config.functionMemory).toEqual({ ...FUNCTION_MEMORY_DEFAULTS, upload: 3538 });
    expect(readDeployConfig({ clients, sourceMapStackTraces: 'true' }).sourceMapStackTraces).toBe(true);
  });

  it('deploys the default client of cdk.json at the code’s default throttle, without a quota', () => {
    // Prepare
    const cdkJson = JSON.parse(readFileSync(`${REPO_ROOT}cdk.json`, 'utf8')) as {
      context: Record<string, unknown>;
    };

    // Act
    const config = readDeployConfig(cdkJson.context);

    // Assess
    expect(config.clients.find((client) => client.name === 'default')).toMatchObject({
      rateLimit: DEFAULT_THROTTLE.ratePerSecond,
      burstLimit: DEFAULT_THROTTLE.burst,
      quotaLimit: undefined,
    });
  });

  it('accepts the strings `cdk -c key=value` passes, JSON for clients included', () => {
    // Act
    const config = readDeployConfig({
      clients: '{"alice":{"rateLimit":"3","quotaLimit":100,"quotaPeriod":"MONTH","keyGeneration":2}}',
      maxImageBytes: '1000000',
      presignDefaultExpiresSeconds: '600',
      presignMaxExpiresSeconds: '604800',
      maxDirectUploadBytes: '20000000',
      invalidateOnDelete: 'false',
      logRetentionDays: '90',
      objectExpirationDays: '7',
      geoAllowlist: 'US,DE',
      domainName: 'images.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234',
    });

    // Assess
    expect(config).toMatchObject({
      clients: [
        {
          name: 'alice',
          rateLimit: 3,
          burstLimit: 100,
          quotaLimit: 100,
          quotaPeriod: 'MONTH',
          keyGeneration: 2,
        },
      ],
      maxImageBytes: 1_000_000,
      presignDefaultExpiresSeconds: 600,
      presignMaxExpiresSeconds: 604_800,
      maxDirectUploadBytes: 20_000_000,
      invalidateOnDelete: false,
      logRetentionDays: 90,
      objectExpirationDays: 7,
      geoAllowlist: ['US', 'DE'],
      customDomain: {
        domainName: 'images.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234',
      },
    });
  });

  it('reads the settings of uploads from a URL, as lists or as -c strings', () => {
    // Act
    const fromJson = readDeployConfig({
      clients,
      sourceAllowHttp: true,
      sourceAllowedPorts: [443, 8448],
      sourceHostAllowlist: ['Matrix.Example.org', '*.example.net'],
      sourceDenyCidrs: ['93.184.216.0/24'],
      sourceHeaderAllowlist: [],
    });
    const fromCli = readDeployConfig({
      clients,
      sourceAllowHttp: 'false',
      sourceAllowedPorts: '443,8448',
      sourceHeaderAllowlist: 'Authorization,X-Api-Key',
      sourceMaxRedirects: '0',
      sourceTimeoutMs: '3000',
      sourceMaxBytes: '1000000',
    });

    // Assess
    expect(fromJson.source).toMatchObject({
      allowHttp: true,
      allowedPorts: [443, 8448],
      hostAllowlist: ['matrix.example.org', '*.example.net'],
      denyCidrs: ['93.184.216.0/24'],
      headerAllowlist: [],
    });
    expect(fromCli.source).toEqual({
      allowHttp: false,
      allowedPorts: [443, 8448],
      denyCidrs: [],
      headerAllowlist: ['authorization', 'x-api-key'],
      maxRedirects: 0,
      timeoutMs: 3000,
      stallTimeoutMs: 3000,
      maxBytes: 1_000_000,
    });
  });

  it('lowers the default URL life to a smaller configured maximum', () => {
    // Act
    const config = readDeployConfig({ clients, presignMaxExpiresSeconds: '900' });

    // Assess
    expect(config).toMatchObject({ presignDefaultExpiresSeconds: 900, presignMaxExpiresSeconds: 900 });
  });
});
