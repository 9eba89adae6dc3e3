import { describe, expect, it } from 'vitest';
import { ConfigError, loadCommonConfig } from '../../lambdas/adapters/config';
import { loadS3ClientSettings } from '../../lambdas/settings/s3-client';
import { loadThrottleSettings } from '../../lambdas/settings/throttle';
import { loadUploadLimits } from '../../lambdas/settings/upload-limits';
import { loadSourceFetchSettings } from '../../lambdas/settings/source-fetch';
import { ENV } from '../../lambdas/adapters/env-names';
import { loadLocalSourceFetchSettings } from '../../infra/local/lambda-routes';

const valid = {
  [ENV.bucketName]: 'images',
  [ENV.publicBaseUrl]: 'https://d111.cloudfront.net/',
  [ENV.clientKeyIds]: 'alice=k1,bob=k2',
  [ENV.region]: 'eu-west-1',
};

describe('loadCommonConfig', () => {
  it('reads the settings the stack sets, keyed by API key id', () => {
    // Act
    const config = loadCommonConfig(valid);

    // Assess
    expect(config.storage).toEqual({
      bucketName: 'images',
      publicBaseUrl: 'https://d111.cloudfront.net',
      region: 'eu-west-1',
      s3Endpoint: undefined,
    });
    expect([...config.clientsByKeyId]).toEqual([
      ['k1', 'alice'],
      ['k2', 'bob'],
    ]);
  });

  it('maps both keys of a client in a key rotation to that client', () => {
    // Act
    const config = loadCommonConfig({ ...valid, [ENV.clientKeyIds]: 'alice=old,bob=k2,alice=new' });

    // Assess
    expect([...config.clientsByKeyId]).toEqual([
      ['old', 'alice'],
      ['k2', 'bob'],
      ['new', 'alice'],
    ]);
  });

  it.each([
    ['a missing bucket', { [ENV.bucketName]: undefined }, `${ENV.bucketName} must be set`],
    ['a blank bucket', { [ENV.bucketName]: '  ' }, `${ENV.bucketName} must be set`],
    ['a missing public base URL', { [ENV.publicBaseUrl]: undefined }, `${ENV.publicBaseUrl} must be set`],
    [
      'a public base URL that is not http(s)',
      { [ENV.publicBaseUrl]: 'd111.cloudfront.net' },
      `${ENV.publicBaseUrl} must be an http(s) URL, got "d111.cloudfront.net"`,
    ],
    ['missing client key ids', { [ENV.clientKeyIds]: undefined }, `${ENV.clientKeyIds} must be set`],
    [
      'a client key id pair without "="',
      { [ENV.clientKeyIds]: 'alice' },
      `${ENV.clientKeyIds} must hold client=key pairs`,
    ],
    [
      'an invalid client name',
      { [ENV.clientKeyIds]: 'Alice=k1' },
      `${ENV.clientKeyIds}: client name "Alice"`,
    ],
    [
      'one key id given to two clients',
      { [ENV.clientKeyIds]: 'a=k1,b=k1' },
      `${ENV.clientKeyIds} gives one key to both "a" and "b"`,
    ],
  ])('fails at cold start on %s, naming the variable', (_case, override, message) => {
    // Act
    const load = () => loadCommonConfig({ ...valid, ...override });

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});

describe('loadUploadLimits', () => {
  it.each([
    ['above Lambda’s 6 MiB', '7000000'],
    ['zero', '0'],
    ['not a number', 'lots'],
  ])('refuses MAX_IMAGE_BYTES %s, naming the variable and the value', (_case, raw) => {
    // Act
    const load = () => loadUploadLimits({ [ENV.maxImageBytes]: raw });

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`${ENV.maxImageBytes} must be a whole number from 1 to 6291456, got "${raw}"`);
  });

  it('reads the limit the stack sets', () => {
    // Act
    const limits = loadUploadLimits({ [ENV.maxImageBytes]: '1000' });

    // Assess
    expect(limits.maxImageBytes).toBe(1000);
  });
});

describe('loadUploadLimits defaults', () => {
  it('defaults to about 4.4 MB and 100 megapixels', () => {
    expect(loadUploadLimits({})).toEqual({ maxImageBytes: 4_400_000, maxImagePixels: 100_000_000 });
  });

  it.each([
    ['MAX_IMAGE_BYTES', '1.5'],
    ['MAX_IMAGE_PIXELS', 'lots'],
  ])('fails naming %s=%s', (variable, value) => {
    expect(() => loadUploadLimits({ [variable]: value })).toThrow(
      new RegExp(`${variable} must be a whole number`),
    );
  });
});

describe('loadS3ClientSettings', () => {
  it('defaults to 1 s to connect, 5 s per attempt, 3 attempts', () => {
    expect(loadS3ClientSettings({})).toEqual({
      connectionTimeoutMs: 1_000,
      requestTimeoutMs: 5_000,
      maxAttempts: 3,
    });
  });

  it('reads small values for tests', () => {
    expect(
      loadS3ClientSettings({
        S3_CONNECT_TIMEOUT_MS: '50',
        S3_REQUEST_TIMEOUT_MS: '200',
        S3_MAX_ATTEMPTS: '2',
      }),
    ).toEqual({
      connectionTimeoutMs: 50,
      requestTimeoutMs: 200,
      maxAttempts: 2,
    });
  });

  it.each([
    ['S3_MAX_ATTEMPTS', { S3_MAX_ATTEMPTS: '0' }],
    ['S3_MAX_ATTEMPTS', { S3_MAX_ATTEMPTS: '10' }],
    ['S3_REQUEST_TIMEOUT_MS', { S3_REQUEST_TIMEOUT_MS: '5s' }],
    ['S3_CONNECT_TIMEOUT_MS', { S3_CONNECT_TIMEOUT_MS: '0' }],
    [
      'S3_MAX_ATTEMPTS × (S3_CONNECT_TIMEOUT_MS + S3_REQUEST_TIMEOUT_MS)',
      { S3_MAX_ATTEMPTS: '5', S3_REQUEST_TIMEOUT_MS: '10000' },
    ],
  ])('fails naming %s', (variable, env) => {
    expect(() => loadS3ClientSettings(env)).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(variable) }),
    );
  });
});

describe('loadThrottleSettings', () => {
  it('defaults to the usage plan: 50 requests/s, burst 100', () => {
    expect(loadThrottleSettings({})).toEqual({ ratePerSecond: 50, burst: 100 });
  });

  it.each([
    ['THROTTLE_RATE_PER_SECOND', '0'],
    ['THROTTLE_RATE_PER_SECOND', '20000'],
    ['THROTTLE_BURST', '-1'],
    ['THROTTLE_BURST', 'lots'],
  ])('fails naming %s=%s', (variable, value) => {
    expect(() => loadThrottleSettings({ [variable]: value })).toThrow(
      new RegExp(`${variable} must be a whole number`),
    );
  });
});

describe('loadSourceFetchSettings', () => {
  it('defaults to https on 443/80, any public host, Authorization only, 3 redirects, 10 s, 32 MiB', () => {
    // Act
    const { policy, limits } = loadSourceFetchSettings({});

    // Assess
    expect(policy).toEqual({
      allowHttp: false,
      allowedPorts: new Set([443, 80]),
      hostAllowlist: undefined,
      denyRanges: [],
      headerAllowlist: new Set(['authorization']),
      loopbackExceptions: [],
    });
    expect(limits).toEqual({
      maxRedirects: 3,
      timeoutMs: 10_000,
      stallTimeoutMs: 5_000,
      maxBytes: 33_554_432,
    });
  });

  it('reads every SOURCE_* setting', () => {
    // Act
    const { policy, limits } = loadSourceFetchSettings({
      [ENV.sourceAllowHttp]: 'true',
      [ENV.sourceAllowedPorts]: '443, 8448',
      [ENV.sourceHostAllowlist]: 'matrix.example.org,*.example.net',
      [ENV.sourceDenyCidrs]: '93.184.216.0/24, 2606:4700::/32',
      [ENV.sourceHeaderAllowlist]: 'Authorization,X-Api-Key',
      [ENV.sourceMaxRedirects]: '0',
      [ENV.sourceTimeoutMs]: '2000',
      [ENV.sourceStallTimeoutMs]: '500',
      [ENV.sourceMaxBytes]: '1000',
    });

    // Assess
    expect(policy.allowHttp).toBe(true);
    expect([...policy.allowedPorts]).toEqual([443, 8448]);
    expect(policy.hostAllowlist).toEqual([
      { host: 'matrix.example.org', subdomains: false },
      { host: 'example.net', subdomains: true },
    ]);
    expect(policy.denyRanges.map((range) => range.text)).toEqual(['93.184.216.0/24', '2606:4700::/32']);
    expect([...policy.headerAllowlist]).toEqual(['authorization', 'x-api-key']);
    expect(limits).toEqual({ maxRedirects: 0, timeoutMs: 2000, stallTimeoutMs: 500, maxBytes: 1000 });
    expect(loadSourceFetchSettings({ [ENV.sourceHeaderAllowlist]: 'none' }).policy.headerAllowlist.size).toBe(
      0,
    );
  });

  it('never opens the guard to loopback, whatever the environment says', () => {
    // Act
    const { policy } = loadSourceFetchSettings({ [ENV.localSourceLoopbackAllowlist]: '127.0.0.1:8080' });

    // Assess
    expect(policy.loopbackExceptions).toEqual([]);
  });

  it.each([
    [ENV.sourceAllowHttp, 'yes', `${ENV.sourceAllowHttp} must be "true" or "false"`],
    [ENV.sourceAllowedPorts, '443,0', `${ENV.sourceAllowedPorts}: "0" is not a port`],
    [ENV.sourceAllowedPorts, 'none', `${ENV.sourceAllowedPorts} must name at least one port`],
    [ENV.sourceHostAllowlist, 'none', `${ENV.sourceHostAllowlist} must name at least one host`],
    [
      ENV.sourceHostAllowlist,
      'https://example.org',
      `${ENV.sourceHostAllowlist}: "https://example.org" is not a host name`,
    ],
    [ENV.sourceDenyCidrs, '10.0.0.0/40', `${ENV.sourceDenyCidrs}: "10.0.0.0/40" is not an address range`],
    [ENV.sourceHeaderAllowlist, 'Host', `${ENV.sourceHeaderAllowlist}: "Host" frames or routes the request`],
    [ENV.sourceMaxRedirects, '11', `${ENV.sourceMaxRedirects} must be a whole number from 0 to 10`],
    [ENV.sourceTimeoutMs, '29000', `${ENV.sourceTimeoutMs} must be a whole number from 1000 to 15000`],
    [ENV.sourceMaxBytes, '209715200', `${ENV.sourceMaxBytes} must be a whole number from 1 to 104857600`],
  ])('refuses %s=%s, naming it', (name, value, message) => {
    // Assess
    expect(() => loadSourceFetchSettings({ [name]: value })).toThrow(ConfigError);
    expect(() => loadSourceFetchSettings({ [name]: value })).toThrow(message);
  });

  it('refuses a stall timeout longer than the whole budget', () => {
    // Assess
    expect(() =>
      loadSourceFetchSettings({ [ENV.sourceTimeoutMs]: '2000', [ENV.sourceStallTimeoutMs]: '3000' }),
    ).toThrow(`${ENV.sourceStallTimeoutMs} must be a whole number from 100 to 2000`);
  });
});

describe('loadLocalSourceFetchSettings (local mode only)', () => {
  it('adds the loopback address:port pairs its tests fetch from', () => {
    // Act
    const { policy } = loadLocalSourceFetchSettings({
      [ENV.localSourceLoopbackAllowlist]: '127.0.0.1:8080,[::1]:9090',
    });

    // Assess
    expect(policy.loopbackExceptions).toEqual([
      { address: '127.0.0.1', port: 8080 },
      { address: '::1', port: 9090 },
    ]);
  });

  it.each(['10.0.0.1:80', '169.254.169.254:80', '0.0.0.0:80', 'localhost:80', '127.0.0.1'])(
    'refuses %s: loopback addresses with a port only',
    (entry) => {
      // Assess
      expect(() => loadLocalSourceFetchSettings({ [ENV.localSourceLoopbackAllowlist]: entry })).toThrow(
        ENV.localSourceLoopbackAllowlist,
      );
    },
  );
});
