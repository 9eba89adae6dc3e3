import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { loadCommonConfig } from '../lambdas/adapters/config';
import { createS3Client } from '../lambdas/adapters/s3-client';
import type { Target } from './support/rows';

/** One URL to presign: what `POST /presign` asks for. */
export interface PresignRequest {
  readonly method: 'GET' | 'PUT';
  readonly bucket: string;
  readonly key: string;
  readonly expiresInSeconds: number;
  /** PUT only: the type and size bound into the signature. */
  readonly contentType?: string;
  readonly contentLength?: number;
}

/** Makes one presigned URL. */
export type PresignFn = (request: PresignRequest) => string | Promise<string>;

/**
 * A presigner measured against the raw SigV4 floor. `create` runs once, outside the
 * measurement (build clients, load config, cache what a Lambda would cache at cold start).
 */
export interface PresignCandidate {
  readonly name: string;
  /** Omitted: a reference row, shown but not judged. */
  readonly target?: Target;
  create(env: NodeJS.ProcessEnv): Promise<PresignFn>;
}

/**
 * The presigners on the table. To add the project's own (a pure function in lambdas/core),
 * append an entry such as:
 *
 *   {
 *     name: 'project presigner',
 *     target: { op: '<=', limit: 3 },
 *     async create(env) {
 *       const { presignUrl } = await import('../lambdas/core/presign');   // its real name
 *       const config = loadCommonConfig(env);
 *       const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
 *       return (request) => presignUrl({ ...request, region: config.storage.region, credentials, now: new Date() });
 *     },
 *   },
 *
 * The bench runs every candidate for GET and PUT, one row each.
 */
export const PRESIGN_CANDIDATES: readonly PresignCandidate[] = [
  {
    name: 'SDK getSignedUrl',
    async create(env) {
      const s3 = createS3Client(loadCommonConfig(env).storage);
      return (request) =>
        request.method === 'GET'
          ? getSignedUrl(s3, new GetObjectCommand({ Bucket: request.bucket, Key: request.key }), { expiresIn: request.expiresInSeconds })
          : getSignedUrl(
              s3,
              new PutObjectCommand({
                Bucket: request.bucket,
                Key: request.key,
                ContentType: request.contentType,
                ContentLength: request.contentLength,
              }),
              { expiresIn: request.expiresInSeconds, signableHeaders: new Set(['content-type', 'content-length']) },
            );
    },
  },
];
