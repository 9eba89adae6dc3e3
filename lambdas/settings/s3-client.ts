import { S3_TIMEOUTS, type S3ClientSettings } from '../core/s3-timeouts';
import { ENV } from '../adapters/env-names';
import { ConfigError, type Env, loadSettings } from './setting';
import { wholeNumberSetting } from './setting-kinds';

/** The S3 client's timeouts and attempts: not deploy settings (tests and local mode lower them). */
export const s3ClientSettings = {
  connectionTimeoutMs: wholeNumberSetting({
    envName: ENV.s3ConnectTimeoutMs,
    fallback: S3_TIMEOUTS.connectionTimeoutMs,
    min: 10,
    max: 10_000,
  }),
  requestTimeoutMs: wholeNumberSetting({
    envName: ENV.s3RequestTimeoutMs,
    fallback: S3_TIMEOUTS.requestTimeoutMs,
    min: 10,
    max: 20_000,
  }),
  maxAttempts: wholeNumberSetting({
    envName: ENV.s3MaxAttempts,
    fallback: S3_TIMEOUTS.maxAttempts,
    min: 1,
    max: 5,
  }),
};

// API Gateway gives up on an integration after 29 s: every attempt, with its backoff, must fit.
const S3_TOTAL_BUDGET_MS = 25_000;

/**
 * Reads the S3 client's timeouts and attempts (defaults: `S3_TIMEOUTS`). Fails when all
 * attempts could outlast API Gateway's 29 s, naming the variables to lower.
 */
export function loadS3ClientSettings(env: Env): S3ClientSettings {
  const settings = loadSettings(s3ClientSettings, env);
  const worstCaseMs = settings.maxAttempts * (settings.connectionTimeoutMs + settings.requestTimeoutMs);
  if (worstCaseMs > S3_TOTAL_BUDGET_MS) {
    throw new ConfigError(
      `${ENV.s3MaxAttempts} × (${ENV.s3ConnectTimeoutMs} + ${ENV.s3RequestTimeoutMs}) is ${worstCaseMs} ms, over the ${S3_TOTAL_BUDGET_MS} ms that fit in API Gateway's 29 s; lower one of them`,
    );
  }
  return settings;
}
