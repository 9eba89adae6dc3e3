import { ENV } from '../adapters/env-names';
import { type Env, loadSettings } from './setting';
import { wholeNumberSetting } from './setting-kinds';

/** What the scheduled reconciler reads (the schedule itself is deploy-only: `reconcileEveryHours`). */
export const reconcileSettings = {
  /**
   * How old an object or record must be before the reconciler repairs it, in seconds: younger
   * ones may belong to a write still under way (record first, then bytes). A deployment whose
   * folders are written all the time may lower it, not below the upload function's timeout.
   */
  reconcileGraceSeconds: wholeNumberSetting({
    contextKey: 'reconcileGraceSeconds',
    envName: ENV.reconcileGraceSeconds,
    fallback: 600,
    min: 0,
    max: 86_400,
    example: '600',
  }),
};

/** Reads `RECONCILE_GRACE_SECONDS` (0–86400), in milliseconds. */
export function loadReconcileGraceMs(env: Env): number {
  return loadSettings(reconcileSettings, env).reconcileGraceSeconds * 1000;
}
