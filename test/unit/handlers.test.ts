import { readFileSync } from 'node:fs';
import { LAMBDA_ENTRIES } from '../../infra/lambda-bundling';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  ListObjectsCommand,
} from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadInvalidationConfig } from '../../lambdas/settings/invalidation';
import { loadPresignSettings } from '../../lambdas/settings/presign';
import { parseEmfLines, plainTextLines } from '../support/emf';
import { REFUSED_SAMPLES, noisyPng } from '../support/image-fixtures';
import { captureLogs } from '../support/log-capture';

const s3Mock = mockClient(S3Client);
const cloudFrontMock = mockClient(CloudFrontClient);
const dynamoMock = mockClient(DynamoDBClient);
const secretsMock = mockClient(SecretsManagerClient);
const lambdaMock = mockClient(LambdaClient);
const ID = '0123456789abcdef0123456789abcdef';
const ENV = {
  BUCKET_NAME: 'bucket',
  PUBLIC_BASE_URL: 'https://cdn.example.com',
  CLIENT_KEY_IDS: 'alice=id-a',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  CDN_DISTRIBUTION_ID: 'E2ABCDEF123456',
  PRESIGN_QUOTA_TABLE: 'presign-quota',
  PRESIGN_UPLOAD_LIMIT: '50',
  CATALOGUE_TABLE: 'catalogue',
  KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:key-AbCdEf',
  AWS_LAMBDA_FUNCTION_NAME: 'stack-ObjectsFunction',
  ERASE_IN_BACKGROUND_ABOVE: '2',
};

beforeEach(() => {
  s3Mock.reset();
  cloudFrontMock.reset();
  dynamoMock.reset();
  secretsMock.reset();
  lambdaMock.reset();
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'k'.repeat(64) });
  // An empty catalogue: no record, every write accepted.
  dynamoMock.on(GetItemCommand).resolves({});
  dynamoMock.on(PutItemCommand).resolves({});
  dynamoMock.on(UpdateItemCommand).resolves({});
  dynamoMock.on(BatchWriteItemCommand).resolves({});
  vi.resetModules();
  for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
});
afterEach(() => vi.unstubAllEnvs());

const apiEvent = (fields: object) =>
  ({ requestContext: { identity: { apiKeyId: 'id-a' } }, isBase64Encoded: false, ...fields }) as never;
const s3Event = (key: string): S3Event =>
  ({ Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key } } }] }) as never;
// The part of the SDK's stream mixin the store reads.
const body = (bytes: Buffer) => ({ transformToByteArray: async () => new Uint8Array(bytes) }) as never;

describe('Lambda entries', () => {
  it('objects: an erasure run whose time is nearly up hands the rest to a new run of itself, erasing nothing', async () => {
    // Prepare: a running erasure of trips, and a run with 1 s left
    const id = '6f1c2f1e-8f5a-4f8e-9d4a-2b7c1e0a9d11';
    const doc = JSON.stringify({
      id,
      client: 'alice',
      folder: 'trips',
      startedAt: '2026-12-07T05:00:00.000Z',
    });
    dynamoMock
      .on(GetItemCommand, { Key: { pk: { S: `E#alice#${id}` } } })
      .resolves({ Item: { doc: { S: doc }, state: { S: 'running' }, deleted: { N: '40' } } });
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });
    const { handler } = await import('../../lambdas/handlers/objects');

    // Act
    await handler({ erasure: { client: 'alice', id } }, { getRemainingTimeInMillis: () => 1000 });

    // Assess: the same erasure goes on in a new invocation; this one neither erased nor finished it
    const invoke = lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(invoke?.InvocationType).toBe('Event');
    expect(JSON.parse(new TextDecoder().decode(invoke?.Payload as Uint8Array))).toEqual({
      erasure: { client: 'alice', id },
    });
    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectCommand);
    const updates = dynamoMock
      .commandCalls(UpdateItemCommand)
      .map((call) => call.args[0].input.UpdateExpression);
    expect(updates).toEqual(['SET leaseUntil = :until', 'REMOVE leaseUntil']);
  });

  it('objects: hands a folder above the threshold to itself, invoked asynchronously, and answers 202', async () => {
    // Prepare: the counters of the folder and one under it say 3 images, above ERASE_IN_BACKGROUND_ABOVE=2
    dynamoMock
      .on(QueryCommand, {
        ExpressionAttributeValues: { ':gpk': { S: 'T#alice' }, ':prefix': { S: 'trips/' } },
      })
      .resolves({
        Items: [
          { pk: { S: 'F#alice#trips' }, images: { N: '2' } },
          { pk: { S: 'F#alice#trips/2026' }, images: { N: '1' } },
        ],
      });
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });
    const { handler } = await import('../../lambdas/handlers/objects');

    // Act
    const result = await handler(
      apiEvent({ httpMethod: 'DELETE', resource: '/objects', queryStringParameters: { folder: 'trips' } }),
      { awsRequestId: 'r' },
    );

    // Assess: the erasure is recorded, then this very function is invoked with it, not waited for
    expect(result.statusCode).toBe(202);
    const answer = JSON.parse(result.body);
    expect(answer).toMatchObject({ state: 'running', deleted: 0, folder: 'trips' });
    const id = answer.status.replace('/erasures/', '');
    expect(dynamoMock).toHaveReceivedCommandWith(PutItemCommand, {
      Item: expect.objectContaining({ pk: { S: `E#alice#${id}` }, state: { S: 'running' } }),
    });
    expect(lambdaMock).toHaveReceivedCommandTimes(InvokeCommand, 1);
    const invoke = lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(invoke?.FunctionName).toBe('stack-ObjectsFunction');
    expect(invoke?.InvocationType).toBe('Event');
    expect(JSON.parse(new TextDecoder().decode(invoke?.Payload as Uint8Array))).toEqual({
      erasure: { client: 'alice', id },
    });
  });

  it('objects: deletes and invalidates through CloudFront', async () => {
    // Prepare
    s3Mock
      .on(HeadObjectCommand)
      .resolves({ Metadata: { source: `_originals/alice/${'b'.repeat(64)}.heic` } });
    s3Mock.on(DeleteObjectCommand).resolves({});
    s3Mock.on(ListObjectsCommand).resolves({ Contents: [] });
    cloudFrontMock.on(CreateInvalidationCommand).resolves({});
    const { handler } = await import('../../lambdas/handlers/objects');

    // Act
    const result = await handler(
      apiEvent({ httpMethod: 'DELETE', pathParameters: { key: `alice/${ID}.png` } }),
      { awsRequestId: 'r' },
    );

    // Assess
    expect(result.statusCode).toBe(204);
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Key: `_originals/alice/${'b'.repeat(64)}.heic`,
    });
    expect(cloudFrontMock).toHaveReceivedCommandWith(CreateInvalidationCommand, {
      DistributionId: 'E2ABCDEF123456',
      InvalidationBatch: expect.objectContaining({
        Paths: { Quantity: 2, Items: [`/alice/${ID}.png`, `/_renditions/alice/${ID}.png/*`] },
      }),
    });
  });

  it('upload: a 4xx writes only JSON lines to the function output (log records and EMF), no plain-text warning', async () => {
    // Prepare: metrics on, as on Lambda, where stdout and stderr both go to CloudWatch Logs.
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const { handler } = await import('../../lambdas/handlers/upload');
    const capture = captureLogs();

    // Act
    let result: Awaited<ReturnType<typeof handler>>;
    try {
      result = await handler(
        apiEvent({
          resource: '/uploads',
          httpMethod: 'POST',
          body: JSON.stringify({ image: REFUSED_SAMPLES.svg.toString('base64') }),
        }),
        { awsRequestId: 'r' } as never,
      );
    } finally {
      capture.stop();
    }
    const output = capture.text();

    // Assess
    expect(result.statusCode).toBe(415);
    expect(parseEmfLines(output).length).toBeGreaterThan(0);
    expect(plainTextLines(output)).toEqual([]);
  });

  it('presign: counts the PUT in the quota table, then signs it with the role credentials, calling no S3 API', async () => {
    // Prepare
    dynamoMock.on(UpdateItemCommand).resolves({});
    const { handler } = await import('../../lambdas/handlers/presign');

    // Act
    const result = await handler(
      apiEvent({ body: JSON.stringify({ method: 'PUT', contentType: 'image/png', contentLength: 10 }) }),
      { awsRequestId: 'r' },
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).url).toMatch(
      /^https:\/\/bucket\.s3\.eu-west-1\.amazonaws\.com\/_incoming\/alice\/[0-9a-f]{32}\.png\?.*X-Amz-Credential=AKIDEXAMPLE/,
    );
    expect(s3Mock.calls()).toHaveLength(0);
    expect(dynamoMock).toHaveReceivedCommandWith(UpdateItemCommand, {
      TableName: 'presign-quota',
      Key: { pk: { S: expect.stringMatching(/^presign#alice#\d+$/) } },
      ExpressionAttributeValues: expect.objectContaining({ ':count': { N: '1' }, ':room': { N: '49' } }),
    });
  });

  it('check-upload: records the image, publishes a PNG under its opaque key, records the outcome and deletes the quarantined copy', async () => {
    // Prepare
    const png = await noisyPng(3, 3);
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: body(png), ContentLength: png.length, ContentType: 'image/png', Metadata: {} });
    s3Mock.on(HeadObjectCommand).rejects(new NotFound({ message: 'nf', $metadata: { httpStatusCode: 404 } }));
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock.on(DeleteObjectCommand).resolves({});
    const { handler } = await import('../../lambdas/handlers/check-upload');

    // Act
    const outcomes = await handler(s3Event(`_incoming/alice/${ID}.png`));

    // Assess
    expect(outcomes).toEqual(['published']);
    expect(secretsMock).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ENV.KEY_SECRET_ARN });
    expect(dynamoMock).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'catalogue',
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: `_uploads/alice/${ID}.json`,
      IfNoneMatch: '*',
    });
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: expect.stringMatching(/^alice\/[0-9a-f]{40}\.png$/),
      ContentType: 'image/png',
      CacheControl: 'public, max-age=31536000, immutable',
      Metadata: expect.objectContaining({ client: 'alice', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    });
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `_incoming/alice/${ID}.png` });
  });

  it('check-upload: deletes an SVG, publishes nothing and records why', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand).rejects(new NotFound({ message: 'nf', $metadata: { httpStatusCode: 404 } }));
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock.on(GetObjectCommand).resolves({
      Body: body(REFUSED_SAMPLES.svg),
      ContentLength: REFUSED_SAMPLES.svg.length,
      ContentType: 'image/png',
      Metadata: {},
    });
    s3Mock.on(DeleteObjectCommand).resolves({});
    const { handler } = await import('../../lambdas/handlers/check-upload');

    // Act
    const outcomes = await handler(s3Event(`_incoming/alice/${ID}.png`));

    // Assess
    expect(outcomes).toEqual(['rejected']);
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    const record = s3Mock.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(record.Key).toBe(`_uploads/alice/${ID}.json`);
    expect(JSON.parse(Buffer.from(record.Body as Uint8Array).toString())).toMatchObject({
      status: 'refused',
      error: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `_incoming/alice/${ID}.png` });
  });

  it('check-upload: ignores events outside quarantine', async () => {
    // Prepare
    const { handler } = await import('../../lambdas/handlers/check-upload');

    // Act
    const outcomes = await handler(s3Event(`alice/${ID}.png`));

    // Assess
    expect(outcomes).toEqual(['ignored']);
    expect(s3Mock.calls()).toHaveLength(0);
  });
});

describe('config of the new functions', () => {
  it.each([
    [{ PRESIGN_MAX_EXPIRES_SECONDS: '604801' }, 'PRESIGN_MAX_EXPIRES_SECONDS'],
    [
      { PRESIGN_DEFAULT_EXPIRES_SECONDS: '7200', PRESIGN_MAX_EXPIRES_SECONDS: '3600' },
      'PRESIGN_DEFAULT_EXPIRES_SECONDS',
    ],
    [{ MAX_DIRECT_UPLOAD_BYTES: '0' }, 'MAX_DIRECT_UPLOAD_BYTES'],
  ])('presign settings %j fail naming %s', (env, name) => {
    // Act
    const act = () => loadPresignSettings(env);

    // Assess
    expect(act).toThrow(name);
  });

  it('presign settings default to 1 h, at most 24 h, 100 MiB', () => {
    // Act
    const settings = loadPresignSettings({});

    // Assess
    expect(settings).toEqual({
      defaultExpiresSeconds: 3600,
      maxExpiresSeconds: 86_400,
      maxDirectUploadBytes: 104_857_600,
    });
  });

  it.each([
    [{}, 'CDN_DISTRIBUTION_ID'],
    [{ CDN_INVALIDATE_ON_DELETE: 'yes' }, 'CDN_INVALIDATE_ON_DELETE'],
    [{ CDN_DISTRIBUTION_ID: 'not an id' }, 'CDN_DISTRIBUTION_ID'],
  ])('invalidation config %j fails naming %s', (env, name) => {
    // Act
    const act = () => loadInvalidationConfig(env);

    // Assess
    expect(act).toThrow(name);
  });

  it('invalidation can be turned off without a distribution', () => {
    // Act
    const config = loadInvalidationConfig({ CDN_INVALIDATE_ON_DELETE: 'false' });

    // Assess
    expect(config).toEqual({ enabled: false });
  });
});

describe('S3 client settings of the Lambda entries', () => {
  it.each(Object.entries(LAMBDA_ENTRIES))(
    '%s: builds its S3 client with the S3_* timeout settings, if it has one',
    (_, entry) => {
      // Prepare
      const source = readFileSync(new URL(`../../${entry}`, import.meta.url), 'utf8');

      // Act
      const calls = source.match(/createS3Client\([^)]*\)/g) ?? [];

      // Assess
      for (const call of calls) expect(call).toContain('loadS3ClientSettings(process.env)');
    },
  );
});
