/**
 * Environment variable names shared by the CDK stack (which sets them), the Lambda handlers
 * and local mode (which read them), so the three cannot drift apart.
 */
export const ENV = {
  /** Bucket that holds every object. */
  bucketName: 'BUCKET_NAME',
  /** Base of the public URLs: the CloudFront domain (or custom domain), no trailing slash. */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** Which API key belongs to which client: `name=apiKeyId` pairs, comma-separated. */
  clientKeyIds: 'CLIENT_KEY_IDS',
  /** Largest decoded image on the base64 route, in bytes. */
  maxImageBytes: 'MAX_IMAGE_BYTES',
  /** Largest width × height accepted (decompression-bomb guard). */
  maxImagePixels: 'MAX_IMAGE_PIXELS',
  /** S3 endpoint override; local mode points it at the embedded S3 server. Unset on AWS. */
  s3Endpoint: 'S3_ENDPOINT',
  /** Life of a presigned URL when the request names none, in seconds (default 3600). */
  presignDefaultExpiresSeconds: 'PRESIGN_DEFAULT_EXPIRES_SECONDS',
  /** Longest life a presign request may ask for, in seconds (default 86400, at most 604800). */
  presignMaxExpiresSeconds: 'PRESIGN_MAX_EXPIRES_SECONDS',
  /** Largest object a presigned PUT may upload, in bytes (default 100 MiB). */
  maxDirectUploadBytes: 'MAX_DIRECT_UPLOAD_BYTES',
  /** CloudFront distribution to invalidate on delete; required while invalidation is on. */
  cdnDistributionId: 'CDN_DISTRIBUTION_ID',
  /** `true` (default) or `false`: invalidate the CDN's cached copy when an object is deleted. */
  cdnInvalidateOnDelete: 'CDN_INVALIDATE_ON_DELETE',
  /** Profile (`fit`) of uploads that name none: `universal` unless set. */
  defaultFit: 'DEFAULT_FIT',
  /** Per-client default profiles: `name=profile` pairs, comma-separated (overrides DEFAULT_FIT). */
  clientFits: 'CLIENT_FITS',
  /** AWS region; Lambda sets it. */
  region: 'AWS_REGION',
  /** S3 client: budget to open a connection, in milliseconds. */
  s3ConnectTimeoutMs: 'S3_CONNECT_TIMEOUT_MS',
  /** S3 client: budget of socket inactivity per attempt, in milliseconds. */
  s3RequestTimeoutMs: 'S3_REQUEST_TIMEOUT_MS',
  /** S3 client: attempts per call, the first included (bounded retries with backoff). */
  s3MaxAttempts: 'S3_MAX_ATTEMPTS',
  /** Per-client steady rate, requests per second: the usage plan's throttle (local mode emulates it). */
  throttleRatePerSecond: 'THROTTLE_RATE_PER_SECOND',
  /** Per-client burst, requests: the usage plan's bucket size (local mode emulates it). */
  throttleBurst: 'THROTTLE_BURST',
  /** Uploads from a URL: `true` to fetch plain `http:` sources too (default `false`). */
  sourceAllowHttp: 'SOURCE_ALLOW_HTTP',
  /** Uploads from a URL: ports a source may name, comma-separated (default `443,80`). */
  sourceAllowedPorts: 'SOURCE_ALLOWED_PORTS',
  /** Uploads from a URL: when set, the only hosts fetched (`media.example.org,*.example.net`). */
  sourceHostAllowlist: 'SOURCE_HOST_ALLOWLIST',
  /** Uploads from a URL: address ranges refused on top of the built-in ones (`203.0.113.0/24,2001:db8::/32`). */
  sourceDenyCidrs: 'SOURCE_DENY_CIDRS',
  /** Uploads from a URL: names of the `sourceHeaders` a caller may send (default `authorization`; `none` for none). */
  sourceHeaderAllowlist: 'SOURCE_HEADER_ALLOWLIST',
  /** Uploads from a URL: redirects followed, each checked again (default 3, at most 10). */
  sourceMaxRedirects: 'SOURCE_MAX_REDIRECTS',
  /** Uploads from a URL: budget of the whole fetch, in milliseconds (default 10000, 1000-15000). */
  sourceTimeoutMs: 'SOURCE_TIMEOUT_MS',
  /** Uploads from a URL: longest silence within a body, in milliseconds (default 5000). */
  sourceStallTimeoutMs: 'SOURCE_STALL_TIMEOUT_MS',
  /** Uploads from a URL: largest source, in bytes, enforced while it streams (default 32 MiB). */
  sourceMaxBytes: 'SOURCE_MAX_BYTES',
  /**
   * Local mode only, for tests: loopback `address:port` pairs a source may be fetched from
   * (`127.0.0.1:8080,[::1]:8080`). The Lambda configuration never reads it and the stack never
   * sets it.
   */
  localSourceLoopbackAllowlist: 'LOCAL_SOURCE_LOOPBACK_ALLOWLIST',
  /** The `service` dimension of every metric: the stack's name (Powertools reads the same variable). */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** Presigned uploads one client may be given per window (the service's own ceiling). */
  presignUploadLimit: 'PRESIGN_UPLOAD_LIMIT',
  /** Length of that window, in seconds. */
  presignUploadWindowSeconds: 'PRESIGN_UPLOAD_WINDOW_SECONDS',
  /** DynamoDB table that counts presigned uploads per client and window; unset in local mode (counted in memory). */
  presignQuotaTable: 'PRESIGN_QUOTA_TABLE',
  /** `true`: trace S3 and CloudFront calls with X-Ray (Powertools Tracer); the stack sets it with active tracing. */
  tracingEnabled: 'POWERTOOLS_TRACE_ENABLED',
  /** Renditions at the CDN: longest `w`/`h` a URL may ask for, in pixels (default 4096). */
  renditionMaxEdgePx: 'RENDITION_MAX_EDGE_PX',
  /** Renditions at the CDN: sizes `w`/`h` snap up to, comma-separated, or `any` (default: the built-in list). */
  renditionSizes: 'RENDITION_SIZES',
  /** Local mode only: request-body bytes held in memory at once, across all requests. */
  localMaxInflightBodyBytes: 'LOCAL_MAX_INFLIGHT_BODY_BYTES',
  /** Browser origins the API answers with CORS headers, comma-separated (`https://console.example.com`); none when unset. */
  corsOrigins: 'CORS_ORIGINS',
  /** The image catalogue's DynamoDB table (`infra/constructs/image-catalogue.ts`). */
  catalogueTable: 'CATALOGUE_TABLE',
  /** DynamoDB endpoint override; local mode points it at the embedded server. Unset on AWS. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  /** Secrets Manager secret (ARN) whose value keys the opaque public keys (HMAC-SHA256). */
  keySecretArn: 'KEY_SECRET_ARN',
  /** Local mode only: the key secret itself, hex (local mode keeps it in a file under DATA_DIR). */
  localKeySecret: 'LOCAL_KEY_SECRET',
  /** `DELETE /objects?folder=`: folders holding more images than this are erased in the background, 202 (default 100). */
  eraseInBackgroundAbove: 'ERASE_IN_BACKGROUND_ABOVE',
  /** Lambda sets it: the objects function invokes itself by this name to erase a folder in the background. */
  functionName: 'AWS_LAMBDA_FUNCTION_NAME',
  /** The reconciler leaves records and objects younger than this alone: their writes may be in flight (default 600). */
  reconcileGraceSeconds: 'RECONCILE_GRACE_SECONDS',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
