import { describe, expect, it } from 'vitest';
import { ConfigError, loadCommonConfig, loadUploadLimits } from '../../lambdas/adapters/config';
import { ENV } from '../../lambdas/adapters/env-names';

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
    expect(config.storage).toEqual({ bucketName: 'images', publicBaseUrl: 'https://d111.cloudfront.net', region: 'eu-west-1', s3Endpoint: undefined });
    expect([...config.clientsByKeyId]).toEqual([
      ['k1', 'alice'],
      ['k2', 'bob'],
    ]);
  });

  it.each([
    ['a missing bucket', { [ENV.bucketName]: undefined }, `${ENV.bucketName} must be set`],
    ['a blank bucket', { [ENV.bucketName]: '  ' }, `${ENV.bucketName} must be set`],
    ['a missing public base URL', { [ENV.publicBaseUrl]: undefined }, `${ENV.publicBaseUrl} must be set`],
    ['a public base URL that is not http(s)', { [ENV.publicBaseUrl]: 'd111.cloudfront.net' }, `${ENV.publicBaseUrl} must be an http(s) URL, got "d111.cloudfront.net"`],
    ['missing client key ids', { [ENV.clientKeyIds]: undefined }, `${ENV.clientKeyIds} must be set`],
    ['a client key id pair without "="', { [ENV.clientKeyIds]: 'alice' }, `${ENV.clientKeyIds} must hold name=value pairs`],
    ['an invalid client name', { [ENV.clientKeyIds]: 'Alice=k1' }, `${ENV.clientKeyIds}: client name "Alice"`],
    ['a client named twice', { [ENV.clientKeyIds]: 'a=k1,a=k2' }, `${ENV.clientKeyIds} names client "a" twice`],
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
