import { wholeNumberWithin } from '../lambdas/core/whole-number';
import { listItems } from '../lambdas/core/source-policy';

/**
 * The readers of deploy-time settings (`cdk.json` "context" or `-c key=value`): each checks
 * one value and, when it cannot be used, throws `DeployConfigError` naming the setting, the
 * value received and how to fix it.
 */

/** A configuration value that cannot be used; the message says which, what and how to fix. */
export class DeployConfigError extends Error {
  override readonly name = 'DeployConfigError';
}

export const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));
export const fail = (setting: string, expected: string, value: unknown, fix: string): never => {
  throw new DeployConfigError(`context "${setting}" must be ${expected}, got ${show(value)}; ${fix}`);
};
export const cliFix = (setting: string, example: string) =>
  `set it in cdk.json "context" or pass -c ${setting}=${example}`;

/** Reads a whole number within [min, max]; `-c key=12` arrives as a string, so numeric strings count. */
export function wholeNumber(value: unknown, setting: string, min: number, max: number, fix: string): number {
  return (
    wholeNumberWithin(value, min, max) ?? fail(setting, `a whole number from ${min} to ${max}`, value, fix)
  );
}

/** Reads a boolean; `-c key=false` arrives as the string "false". */
export function booleanSetting(value: unknown, setting: string, fix: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(setting, 'true or false', value, fix);
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

/**
 * A list setting (a JSON list in cdk.json, or `-c key=a,b`) read item by item by `parse`,
 * which throws on a bad item; undefined when unset.
 */
export function listSetting<T>(
  value: unknown,
  setting: string,
  example: string,
  parse: (items: string[]) => T[],
): T[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const fix = cliFix(setting, example);
  if (typeof value !== 'string' && !Array.isArray(value)) return fail(setting, 'a list', value, fix);
  try {
    return parse(listItems(value));
  } catch (err) {
    return fail(setting, `a list such as ${example} (${(err as Error).message})`, value, fix);
  }
}
