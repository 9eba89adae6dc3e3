/**
 * TypeScript client of the s3-image-proxy API: uploads (direct or presigned by size), presigned
 * URLs, listings, info and deletes, with retries, timeouts and one typed error per error code;
 * URLs of renditions made at the CDN (`renditionUrl`).
 * Runtime dependencies: none beyond `fetch`.
 */
export type * from './api-types.ts';
export { bodySourceOf, sniffContentType, type BodySource, type UploadInput } from './body-source.ts';
export {
  DEFAULT_MAX_DIRECT_UPLOAD_BYTES,
  ImageProxyClient,
  type CatalogueOptions,
  keyOf,
  type ImageProxyClientOptions,
  type ListOptions,
  type PresignPutOptions,
  type RequestOptions,
  type UploadFromUrlOptions,
  type UploadOptions,
  type UploadProgress,
  type WaitOptions,
} from './client.ts';
export * from './errors.ts';
export {
  renditionUrl,
  type RenditionFit,
  type RenditionFormat,
  type RenditionOptions,
} from './rendition-url.ts';
export {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
  type RetryPolicy,
} from './retry.ts';
