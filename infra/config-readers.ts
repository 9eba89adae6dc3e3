import { wholeNumberWithin } from '../lambdas/core/whole-number';
import { cliFix, DeployConfigError } from '../lambdas/settings/setting';

export { cliFix, DeployConfigError };

/**
 * The readers of the deploy-time settings held in JSON objects (`clients`, `functionMemory`,
 * `reservedConcurrency`, `renditions`) and read in pairs (`domainName` + `certificateArn`):
 * each checks one value and, when it cannot be used, throws `DeployConfigError` naming the
 * setting, the value received and how to fix it. Settings of one key each are declarations
 * (`lambdas/settings/setting.ts`).
 */

export const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));
export const fail = (setting: string, expected: string, value: unknown, fix: string): never => {
  throw new DeployConfigError(`context "${setting}" must be ${expected}, got ${show(value)}; ${fix}`);
};

/** Reads a whole number within [min, max]; `-c key=12` arrives as a string, so numeric strings count. */
export function wholeNumber(value: unknown, setting: string, min: number, max: number, fix: string): number {
  return (
    wholeNumberWithin(value, min, max) ?? fail(setting, `a whole number from ${min} to ${max}`, value, fix)
  );
}

export function optionalString(value: unknown, setting: string, fix: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return fail(setting, 'a string', value, fix);
  return value.trim();
}

export function oneOf<T extends string | number>(
  value: unknown,
  allowed: readonly T[],
  setting: string,
  fix: string,
): T {
  const candidate = typeof value === 'string' && typeof allowed[0] === 'number' ? Number(value) : value;
  if (!allowed.includes(candidate as T)) return fail(setting, `one of ${allowed.join(', ')}`, value, fix);
  return candidate as T;
}

/** A JSON object given inline in cdk.json or as a JSON string with `-c`. */
export function jsonObject(value: unknown, setting: string, fix: string): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return fail(setting, 'a JSON object', value, fix);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return fail(setting, 'a JSON object', value, fix);
  return parsed as Record<string, unknown>;
}
