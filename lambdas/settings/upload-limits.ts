import {
  DEFAULT_MAX_DIRECT_UPLOAD_BYTES,
  DEFAULT_MAX_IMAGE_BYTES,
  DEFAULT_MAX_IMAGE_PIXELS,
  LAMBDA_PAYLOAD_LIMIT_BYTES,
  MAX_DIRECT_UPLOAD_BYTES_CEILING,
  type UploadLimits,
} from '../core/limits';
import { ENV } from '../adapters/env-names';
import { cliFix, type Env, loadSettings } from './setting';
import { sourceFetchSettings } from './source-fetch';
import { wholeNumberSetting } from './setting-kinds';

/** How large an upload may be: bytes on the base64 route and through presigned PUTs, pixels decoded. */

export const maxImageBytesSettings = {
  /** Largest decoded image on the base64 route, in bytes. */
  maxImageBytes: wholeNumberSetting({
    contextKey: 'maxImageBytes',
    envName: ENV.maxImageBytes,
    fallback: DEFAULT_MAX_IMAGE_BYTES,
    min: 1,
    // Lambda's request limit: no decoded image through the base64 route can be larger.
    max: LAMBDA_PAYLOAD_LIMIT_BYTES,
    fix: `${cliFix('maxImageBytes', String(DEFAULT_MAX_IMAGE_BYTES))}; larger files go through presigned uploads`,
  }),
};

export const maxImagePixelsSettings = {
  /** Largest width × height decoded (decompression-bomb guard); not a deploy setting. */
  maxImagePixels: wholeNumberSetting({
    envName: ENV.maxImagePixels,
    fallback: DEFAULT_MAX_IMAGE_PIXELS,
    min: 1,
    max: 1_000_000_000,
  }),
};

export const directUploadSettings = {
  /** Largest file a presigned PUT may upload, in bytes; also sizes the check function. */
  maxDirectUploadBytes: wholeNumberSetting({
    contextKey: 'maxDirectUploadBytes',
    envName: ENV.maxDirectUploadBytes,
    fallback: DEFAULT_MAX_DIRECT_UPLOAD_BYTES,
    min: 1,
    // The check function holds an upload in memory (twice, briefly) to check and hash it whole.
    max: MAX_DIRECT_UPLOAD_BYTES_CEILING,
    fix: `${cliFix('maxDirectUploadBytes', String(DEFAULT_MAX_DIRECT_UPLOAD_BYTES))}; the check function reads each upload whole into memory`,
  }),
};

/** Reads `MAX_IMAGE_BYTES` and `MAX_IMAGE_PIXELS`. */
export function loadUploadLimits(env: Env): UploadLimits {
  return { ...loadSettings(maxImageBytesSettings, env), maxImagePixels: loadMaxImagePixels(env) };
}

/** Reads `MAX_IMAGE_PIXELS`: the largest width × height decoded (decompression-bomb guard). */
export function loadMaxImagePixels(env: Env): number {
  return loadSettings(maxImagePixelsSettings, env).maxImagePixels;
}

/** The cap on presigned uploads, shared by the presign and check functions. */
export function loadMaxDirectUploadBytes(env: Env): number {
  return loadSettings(directUploadSettings, env).maxDirectUploadBytes;
}

/** The byte limits of the three ways in: a request body, a presigned PUT, a URL's source. */
export interface UploadByteLimits {
  readonly maxImageBytes: number;
  readonly maxDirectUploadBytes: number;
  readonly sourceMaxBytes: number;
}

/**
 * The largest upload any route accepts, so the most a kept original can weigh: the cap on
 * reading one back to make another profile (`POST /renditions`, the CDN's render function).
 */
export function largestUploadBytes(limits: UploadByteLimits): number {
  return Math.max(limits.maxImageBytes, limits.maxDirectUploadBytes, limits.sourceMaxBytes);
}

/** `largestUploadBytes` of the limits an environment holds (the upload function's, local mode's). */
export function loadLargestUploadBytes(env: Env): number {
  return largestUploadBytes({
    maxImageBytes: loadSettings(maxImageBytesSettings, env).maxImageBytes,
    maxDirectUploadBytes: loadMaxDirectUploadBytes(env),
    sourceMaxBytes: loadSettings({ maxBytes: sourceFetchSettings.maxBytes }, env).maxBytes,
  });
}
