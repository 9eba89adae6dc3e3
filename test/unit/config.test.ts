import { describe, expect, it } from 'vitest';
import { loadCommonConfig, loadUploadLimits } from '../../lambdas/adapters/config';

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
