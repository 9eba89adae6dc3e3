/**
 * Lambda refuses synchronous invocations whose payload exceeds 6 MiB; after API Gateway's
 * base64 step and the event envelope that leaves about 4.4 MB of image on the base64 route.
 */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/** Default cap on decoded image bytes through the base64 route. */
export const DEFAULT_MAX_IMAGE_BYTES = 4_400_000;

/** Default cap on declared pixels (width × height): refuses decompression bombs. */
export const DEFAULT_MAX_IMAGE_PIXELS = 100_000_000;

/** Longest original filename kept as metadata, in characters. */
export const MAX_FILENAME_CHARS = 255;

/** Limits one upload is checked against. */
export interface UploadLimits {
  /** Largest decoded image accepted, in bytes. */
  readonly maxImageBytes: number;
  /** Largest width × height accepted. */
  readonly maxImagePixels: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxImageBytes: DEFAULT_MAX_IMAGE_BYTES,
  maxImagePixels: DEFAULT_MAX_IMAGE_PIXELS,
};

/**
 * Default per-client throttle, as an API Gateway usage plan states it: a steady rate and a
 * burst (the token bucket's size). Local mode applies the same numbers.
 */
export const DEFAULT_THROTTLE = { ratePerSecond: 50, burst: 100 } as const;

/** A per-client throttle: steady requests per second, and how many may arrive at once. */
export interface ThrottleSettings {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** The 413 message of an image over the route's limit: always names the way around it. */
export function tooLargeMessage(limitBytes: number): string {
  return `image is larger than ${limitBytes.toLocaleString('en-US')} bytes, the limit of this route; upload it with a presigned PUT from POST /presign`;
}

/**
 * The 413 message of a request body over Lambda's 6 MiB (answered before any handler runs):
 * it names the image limit the caller actually meets, not the envelope's.
 */
export function requestTooLargeMessage(maxImageBytes: number): string {
  return `the request is over Lambda's 6 MiB request limit; images sent through this route may be at most ${maxImageBytes.toLocaleString('en-US')} bytes: upload larger ones with a presigned PUT from POST /presign`;
}

/**
 * Default cap on a presigned PUT. Accepted images and clips for AI models are far smaller
 * (the big providers take 5-50 MB per image), and the check function holds one upload in
 * memory to check and hash it whole, so 100 MiB keeps it comfortable at 1 GiB of memory.
 */
export const DEFAULT_MAX_DIRECT_UPLOAD_BYTES = 100 * 1024 * 1024;

/** Hard ceiling on `MAX_DIRECT_UPLOAD_BYTES`: what a 3 GiB check function can hold twice. */
export const MAX_DIRECT_UPLOAD_BYTES_CEILING = 1024 * 1024 * 1024;

/**
 * Uploads from a URL (`sourceUrl`). The fetched bytes are not in the request, so Lambda's
 * 6 MiB does not bound them; the upload function's 1 GiB of memory does, as it does for
 * `POST /renditions`, which reads up to 100 MiB back from the bucket.
 */
export const SOURCE_LIMITS = {
  /** Default `SOURCE_MAX_BYTES`: 32 MiB, Anthropic's whole-request cap, above any phone photo. */
  defaultMaxBytes: 32 * 1024 * 1024,
  maxBytesCeiling: DEFAULT_MAX_DIRECT_UPLOAD_BYTES,
  /** Default and range of `SOURCE_MAX_REDIRECTS`. */
  defaultMaxRedirects: 3,
  maxRedirectsCeiling: 10,
  /**
   * Default and range of `SOURCE_TIMEOUT_MS`, the whole fetch (every hop, name resolution and
   * the body). The upload function runs at most 20 s and API Gateway waits 29 s: at least 5 s
   * stay for rendering and storing.
   */
  defaultTimeoutMs: 10_000,
  minTimeoutMs: 1_000,
  maxTimeoutMs: 15_000,
  /** Default and floor of `SOURCE_STALL_TIMEOUT_MS`: longest silence within a body (at most the timeout). */
  defaultStallTimeoutMs: 5_000,
  minStallTimeoutMs: 100,
} as const;

/**
 * Default ceiling on presigned uploads per client per window (`PRESIGN_UPLOAD_LIMIT`): each one
 * may become a check run of 1 GiB or more, so this is a cost ceiling, counted by the service
 * itself (usage plans are best effort). 1,000 an hour is far above a bot's use of large uploads.
 */
export const DEFAULT_PRESIGN_UPLOAD_LIMIT = 1000;

/** Default window of that ceiling, in seconds (`PRESIGN_UPLOAD_WINDOW_SECONDS`): one hour. */
export const DEFAULT_PRESIGN_UPLOAD_WINDOW_SECONDS = 3600;

/** Default of `ERASE_IN_BACKGROUND_ABOVE`: about what one request erases well inside API Gateway's 29 s. */
export const DEFAULT_ERASE_IN_BACKGROUND_ABOVE = 100;
/** Its largest value: past it a request could not erase the folder in time anyway. */
export const MAX_ERASE_IN_BACKGROUND_ABOVE = 100_000;
