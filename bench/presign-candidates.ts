import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { loadCommonConfig } from '../lambdas/adapters/config';
import { createS3Client } from '../lambdas/adapters/s3-client';
import { S3UrlSigner } from '../lambdas/adapters/url-signer';
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
 * The presigners on the table: the project's own (what the presign Lambda runs: `S3UrlSigner`
 * over the pure `SigV4Presigner`, credentials cached) and the SDK's default path as a reference.
 * The bench runs every candidate for GET and PUT, one row each.
 */
export const PRESIGN_CANDIDATES: readonly PresignCandidate[] = [
  {
    name: 'project presigner',
    target: { op: '<=', limit: 3 },
    async create(env) {
      const { storage } = loadCommonConfig(env);
      const signer = new S3UrlSigner({
        credentials: async () => ({
          accessKeyId: env.AWS_ACCESS_KEY_ID!,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
        }),
        region: storage.region,
        bucketName: storage.bucketName,
      });
      return async (request) => {
        const headers =
          request.method === 'PUT'
            ? { 'content-type': request.contentType!, 'content-length': String(request.contentLength) }
            : undefined;
        const signed = await signer.sign({
          method: request.method,
          key: request.key,
          headers,
          expiresInSeconds: request.expiresInSeconds,
        });
        return signed.url;
      };
    },
  },
  {
    name: 'SDK getSignedUrl',
    async create(env) {
      const s3 = createS3Client(loadCommonConfig(env).storage);
      return (request) =>
        request.method === 'GET'
          ? getSignedUrl(s3, new GetObjectCommand({ Bucket: request.bucket, Key: request.key }), {
              expiresIn: request.expiresInSeconds,
            })
          : getSignedUrl(
              s3,
              new PutObjectCommand({
                Bucket: request.bucket,
                Key: request.key,
                ContentType: request.contentType,
                ContentLength: request.contentLength,
              }),
              {
                expiresIn: request.expiresInSeconds,
                signableHeaders: new Set(['content-type', 'content-length']),
              },
            );
    },
  },
];
