import { DEFAULT_THROTTLE, type ThrottleSettings } from '../core/limits';
import { ENV } from '../adapters/env-names';
import { type Env, loadSettings } from './setting';
import { wholeNumberSetting } from './setting-kinds';

/**
 * The per-client throttle local mode emulates (on AWS each client's usage plan holds it, from
 * the `clients` context key); the ceilings are API Gateway's default account limits.
 */
export const throttleSettings = {
  ratePerSecond: wholeNumberSetting({
    envName: ENV.throttleRatePerSecond,
    fallback: DEFAULT_THROTTLE.ratePerSecond,
    min: 1,
    max: 10_000,
  }),
  burst: wholeNumberSetting({
    envName: ENV.throttleBurst,
    fallback: DEFAULT_THROTTLE.burst,
    min: 1,
    max: 5_000,
  }),
};

/** Reads the per-client throttle (`THROTTLE_RATE_PER_SECOND`, `THROTTLE_BURST`). */
export function loadThrottleSettings(env: Env): ThrottleSettings {
  return loadSettings(throttleSettings, env);
}
