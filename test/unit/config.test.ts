import { describe, expect, it } from 'vitest';
import { loadCommonConfig, loadS3ClientSettings, loadThrottleSettings, loadUploadLimits } from '../../lambdas/adapters/config';

const valid = {
  BUCKET_NAME: 'images',
  PUBLIC_BASE_URL: 'https://d1.cloudfront.net/',
  CLIENT_KEY_IDS: 'alice=k1, bob=k2',
  AWS_REGION: 'eu-west-1',
};

describe('loadCommonConfig', () => {
  it('reads a valid environment', () => {
    // Act
    const config = loadCommonConfig(valid);

    // Assess
    expect(config.storage).toEqual({ bucketName: 'images', publicBaseUrl: 'https://d1.cloudfront.net', region: 'eu-west-1', s3Endpoint: undefined });
    expect([...config.clientsByKeyId]).toEqual([
      ['k1', 'alice'],
      ['k2', 'bob'],
    ]);
  });

  it.each([
    ['BUCKET_NAME', { BUCKET_NAME: undefined }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: '' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'd1.cloudfront.net' }],
    ['CLIENT_KEY_IDS', { CLIENT_KEY_IDS: undefined }],
    ['CLIENT_KEY_IDS', { CLIENT_KEY_IDS: 'alice' }],
    ['CLIENT_KEY_IDS', { CLIENT_KEY_IDS: 'Alice=k1' }],
    ['CLIENT_KEY_IDS', { CLIENT_KEY_IDS: 'alice=k1,alice=k2' }],
  ])('fails naming %s when it is missing or invalid', (variable, override) => {
    expect(() => loadCommonConfig({ ...valid, ...override })).toThrow(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(variable) }));
  });
});

describe('loadUploadLimits', () => {
  it('defaults to about 4.4 MB and 100 megapixels', () => {
    expect(loadUploadLimits({})).toEqual({ maxImageBytes: 4_400_000, maxImagePixels: 100_000_000 });
  });

  it.each([
    ['MAX_IMAGE_BYTES', '0'],
    ['MAX_IMAGE_BYTES', '7000000'],
    ['MAX_IMAGE_BYTES', '1.5'],
    ['MAX_IMAGE_PIXELS', 'lots'],
  ])('fails naming %s=%s', (variable, value) => {
    expect(() => loadUploadLimits({ [variable]: value })).toThrow(new RegExp(`${variable} must be a whole number`));
  });
});

describe('loadS3ClientSettings', () => {
  it('defaults to 1 s to connect, 5 s per attempt, 3 attempts', () => {
    expect(loadS3ClientSettings({})).toEqual({ connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000, maxAttempts: 3 });
  });

  it('reads small values for tests', () => {
    expect(loadS3ClientSettings({ S3_CONNECT_TIMEOUT_MS: '50', S3_REQUEST_TIMEOUT_MS: '200', S3_MAX_ATTEMPTS: '2' })).toEqual({
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
    ['S3_MAX_ATTEMPTS × (S3_CONNECT_TIMEOUT_MS + S3_REQUEST_TIMEOUT_MS)', { S3_MAX_ATTEMPTS: '5', S3_REQUEST_TIMEOUT_MS: '10000' }],
  ])('fails naming %s', (variable, env) => {
    expect(() => loadS3ClientSettings(env)).toThrow(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(variable) }));
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
    expect(() => loadThrottleSettings({ [variable]: value })).toThrow(new RegExp(`${variable} must be a whole number`));
  });
});
