import { DEFAULT_PRESIGN_UPLOAD_LIMIT, DEFAULT_PRESIGN_UPLOAD_WINDOW_SECONDS } from '../core/limits';
import type { PresignSettings } from '../core/presign-request';
import type { PresignLimit } from '../core/presign-window';
import { SIGV4_MAX_EXPIRES_SECONDS } from '../core/sigv4-presign';
import { ENV } from '../adapters/env-names';
import { cliFix, type Env, loadSettings } from './setting';
import { wholeNumberSetting } from './setting-kinds';
import { loadMaxDirectUploadBytes } from './upload-limits';

/** Presigned URLs: how long they live, and how many uploads a client may be given per window. */

const presignMaxExpiresSeconds = wholeNumberSetting({
  contextKey: 'presignMaxExpiresSeconds',
  envName: ENV.presignMaxExpiresSeconds,
  fallback: 86_400,
  min: 1,
  max: SIGV4_MAX_EXPIRES_SECONDS,
  fix: `${cliFix('presignMaxExpiresSeconds', '86400')}; SigV4 presigned URLs live at most 7 days`,
});

export const presignLifeSettings = {
  /** Longest life a presign request may ask for, in seconds (SigV4 allows at most 604 800). */
  presignMaxExpiresSeconds,
  /** Life of a presigned URL whose request names none, in seconds; at most the longest. */
  presignDefaultExpiresSeconds: wholeNumberSetting({
    contextKey: 'presignDefaultExpiresSeconds',
    envName: ENV.presignDefaultExpiresSeconds,
    fallback: (read) => Math.min(3600, read(presignMaxExpiresSeconds)),
    min: 1,
    max: (read) => read(presignMaxExpiresSeconds),
    fix: (read) =>
      `${cliFix('presignDefaultExpiresSeconds', '3600')}; it cannot exceed presignMaxExpiresSeconds (${read(presignMaxExpiresSeconds)})`,
  }),
};

export const presignQuotaSettings = {
  /** Presigned uploads a client may be given per `presignUploadWindowSeconds`, counted by the service. */
  presignUploadLimit: wholeNumberSetting({
    contextKey: 'presignUploadLimit',
    envName: ENV.presignUploadLimit,
    fallback: DEFAULT_PRESIGN_UPLOAD_LIMIT,
    min: 1,
    max: 1_000_000,
    example: String(DEFAULT_PRESIGN_UPLOAD_LIMIT),
  }),
  /** Window of `presignUploadLimit`, in seconds. */
  presignUploadWindowSeconds: wholeNumberSetting({
    contextKey: 'presignUploadWindowSeconds',
    envName: ENV.presignUploadWindowSeconds,
    fallback: DEFAULT_PRESIGN_UPLOAD_WINDOW_SECONDS,
    min: 60,
    max: 30 * 86_400,
    example: String(DEFAULT_PRESIGN_UPLOAD_WINDOW_SECONDS),
  }),
};

/** Presigned URL lives and the direct upload cap. Throws `ConfigError` naming the variable. */
export function loadPresignSettings(env: Env): PresignSettings {
  const life = loadSettings(presignLifeSettings, env);
  return {
    defaultExpiresSeconds: life.presignDefaultExpiresSeconds,
    maxExpiresSeconds: life.presignMaxExpiresSeconds,
    maxDirectUploadBytes: loadMaxDirectUploadBytes(env),
  };
}

/** The ceiling on presigned uploads per client and window (`PRESIGN_UPLOAD_LIMIT`, `PRESIGN_UPLOAD_WINDOW_SECONDS`). */
export function loadPresignLimit(env: Env): PresignLimit {
  const quota = loadSettings(presignQuotaSettings, env);
  return { uploads: quota.presignUploadLimit, windowSeconds: quota.presignUploadWindowSeconds };
}
