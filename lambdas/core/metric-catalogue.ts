/**
 * Every metric the functions emit (CloudWatch embedded metric format, through Powertools
 * Metrics): names, units and dimensions, shared by the handlers that emit them, the stack's
 * alarms and dashboard, and the table in docs/operations.md. Dimensions take values from small fixed sets
 * (function, route, outcome, error code, fault kind) and the configured client names: never a
 * key, an object, an upload id or a user.
 */

/** Namespace of every metric of the service (the `service` dimension tells deployments apart). */
export const METRICS_NAMESPACE = 'S3ImageProxy';

/** The functions, by capability: the values of the `function` dimension. */
export type FunctionDimension = 'upload' | 'presign' | 'objects' | 'checkUpload' | 'render';

/**
 * The functions whose EMF metrics the operations dashboard and alarms are keyed by
 * (infra/constructs/operations.ts). `render`, which makes renditions at the CDN's request and
 * exists only when renditions are on, is alarmed on its Lambda metrics (errors, throttles,
 * duration) instead.
 */
export type MetricFunction = Exclude<FunctionDimension, 'render'>;

/** What a function was asked to do: the `route` dimension (API routes, and `check` for S3 events). */
export const METRIC_ROUTES = {
  upload: 'upload',
  rendition: 'rendition',
  presign: 'presign',
  list: 'list',
  info: 'info',
  delete: 'delete',
  patch: 'patch',
  stats: 'stats',
  uploadStatus: 'upload-status',
  /** `GET /erasures/{id}`: how far a folder's background erasure got. */
  erasureStatus: 'erasure-status',
  openapi: 'openapi',
  check: 'check',
  /** A rendition made at the CDN's request (the rendering function behind CloudFront). */
  cdnRendition: 'cdn-rendition',
} as const;
export type MetricRoute = (typeof METRIC_ROUTES)[keyof typeof METRIC_ROUTES];

/** Which function serves each route. */
export const FUNCTION_OF_ROUTE: Readonly<Record<MetricRoute, FunctionDimension>> = {
  upload: 'upload',
  rendition: 'upload',
  presign: 'presign',
  list: 'objects',
  info: 'objects',
  delete: 'objects',
  patch: 'objects',
  stats: 'objects',
  'upload-status': 'objects',
  'erasure-status': 'objects',
  openapi: 'objects',
  check: 'checkUpload',
  'cdn-rendition': 'render',
};

export type MetricUnitName = 'Count' | 'Bytes' | 'Milliseconds';

/** A dimension that splits one metric by a small set of values (besides function, route and client). */
export type MetricKind = 'errorCode' | 'fault' | 'outcome';

export interface MetricDefinition {
  readonly unit: MetricUnitName;
  /** The extra dimension, when the metric is split by one. */
  readonly kind?: MetricKind;
  /** What one data point means (docs/operations.md says the same). */
  readonly description: string;
}

/**
 * The metrics. Each is published with two dimension sets: `[service, function(, kind)]` for the
 * alarms and `[service, route, client(, kind)]` for per-route, per-client views.
 */
export const METRICS = {
  Requests: { unit: 'Count', description: 'an API request a function answered (any status)' },
  ServerErrors: {
    unit: 'Count',
    description:
      'an API request answered with a 5xx the service caused (not 502 SOURCE_UNAVAILABLE, a refusal)',
  },
  Refusals: {
    unit: 'Count',
    kind: 'errorCode',
    description: 'a request or presigned upload refused with a 4xx, by its error code',
  },
  StorageFaults: {
    unit: 'Count',
    kind: 'fault',
    description: 'a storage call (S3, DynamoDB, CloudFront) that failed every attempt, by kind of fault',
  },
  Uploads: {
    unit: 'Count',
    description: 'an image received and stored (base64/raw upload, or checked presigned upload)',
  },
  UploadBytes: { unit: 'Bytes', description: 'bytes of the image as received' },
  Renditions: {
    unit: 'Count',
    description: 'a rendition stored (uploads, checked presigned uploads, POST /renditions)',
  },
  RenditionBytes: { unit: 'Bytes', description: 'bytes of the rendition the CDN serves' },
  RenditionsRendered: {
    unit: 'Count',
    description:
      'a rendition made at the CDN’s request (a URL with a query, missed by the cache and storage), rendered and stored',
  },
  PresignedUploads: { unit: 'Count', description: 'a presigned PUT handed out' },
  PresignedReads: { unit: 'Count', description: 'a presigned GET handed out' },
  Deletes: { unit: 'Count', description: 'an object deleted' },
  Checks: {
    unit: 'Count',
    kind: 'outcome',
    description:
      'a presigned upload checked, by outcome: published, rejected, replayed (its URL used twice), gone (already handled), ignored (not an upload)',
  },
  TimeToServable: {
    unit: 'Milliseconds',
    description: 'from a presigned upload landing in S3 to its rendition being published',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;

/** Outcomes of the check of a presigned upload (the `outcome` dimension of `Checks`). */
export type CheckOutcomeName = 'published' | 'rejected' | 'replayed' | 'gone' | 'ignored';
