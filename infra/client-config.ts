import { PROFILE_NAMES, type ProfileName } from '../lambdas/core/model-profiles';
import { CLIENT_NAME_PATTERN } from '../lambdas/core/object-keys';
import { DEFAULT_THROTTLE } from '../lambdas/core/limits';
import { fail, jsonObject, oneOf, wholeNumber } from './config-readers';

/** How many requests a client may make. */
export interface ClientConfig {
  /** Client name: the namespace (key prefix) of its objects. */
  readonly name: string;
  /** Steady-state requests per second allowed to the client's API key. */
  readonly rateLimit: number;
  /** Requests the key may burst above `rateLimit`. */
  readonly burstLimit: number;
  /** Requests allowed per `quotaPeriod`; undefined: no quota. */
  readonly quotaLimit?: number;
  /** Period of `quotaLimit`. */
  readonly quotaPeriod: QuotaPeriod;
  /** Generation of the client's current API key; bumping it gives the client a new key (rotation). */
  readonly keyGeneration: number;
  /**
   * Generation of the outgoing key kept valid during a rotation (lower than `keyGeneration`);
   * undefined: the client has one key.
   */
  readonly previousKeyGeneration?: number;
  /** This client's profile when an upload names none; undefined: the deployment's `defaultFit`. */
  readonly fit?: ProfileName;
}

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';
const QUOTA_PERIODS: readonly QuotaPeriod[] = ['DAY', 'WEEK', 'MONTH'];

/** Defaults of a client's settings. */
export const CLIENT_CONFIG_DEFAULTS = {
  // The same defaults as local mode's throttle, so a client meets one rate in both places.
  rateLimit: DEFAULT_THROTTLE.ratePerSecond,
  burstLimit: DEFAULT_THROTTLE.burst,
  quotaPeriod: 'DAY',
} as const;

const CLIENT_FIELDS = [
  'rateLimit',
  'burstLimit',
  'quotaLimit',
  'quotaPeriod',
  'keyGeneration',
  'previousKeyGeneration',
  'fit',
] as const;

const CLIENTS_FIX = `set it in cdk.json "context", e.g. "clients": {"default": {"rateLimit": 10, "burstLimit": 20}}`;

function readClient(name: string, raw: unknown): ClientConfig {
  const setting = `clients.${name}`;
  if (!CLIENT_NAME_PATTERN.test(name)) {
    fail(
      'clients',
      `keyed by client names matching ${CLIENT_NAME_PATTERN}`,
      name,
      'rename the client: lower-case letters, digits, - and _',
    );
  }
  const fields = jsonObject(raw ?? {}, setting, CLIENTS_FIX);
  for (const field of Object.keys(fields)) {
    if (!(CLIENT_FIELDS as readonly string[]).includes(field)) {
      fail(setting, `an object with only ${CLIENT_FIELDS.join(', ')}`, field, 'remove or correct the field');
    }
  }
  const fix = `correct it under "clients" in cdk.json "context"`;
  const rateLimit = wholeNumber(
    fields.rateLimit ?? CLIENT_CONFIG_DEFAULTS.rateLimit,
    `${setting}.rateLimit`,
    1,
    10_000,
    fix,
  );
  const burstLimit = wholeNumber(
    fields.burstLimit ?? CLIENT_CONFIG_DEFAULTS.burstLimit,
    `${setting}.burstLimit`,
    1,
    5_000,
    fix,
  );
  const quotaLimit =
    fields.quotaLimit === undefined
      ? undefined
      : wholeNumber(fields.quotaLimit, `${setting}.quotaLimit`, 1, 1_000_000_000, fix);
  const keyGeneration = wholeNumber(fields.keyGeneration ?? 1, `${setting}.keyGeneration`, 1, 1_000_000, fix);
  const previousKeyGeneration =
    fields.previousKeyGeneration === undefined || fields.previousKeyGeneration === null
      ? undefined
      : wholeNumber(
          fields.previousKeyGeneration,
          `${setting}.previousKeyGeneration`,
          1,
          keyGeneration - 1,
          `${fix}: it names the outgoing key, older than keyGeneration (${keyGeneration}); remove it once the client uses the new key`,
        );
  return {
    name,
    rateLimit,
    burstLimit,
    quotaLimit,
    quotaPeriod: oneOf(
      fields.quotaPeriod ?? CLIENT_CONFIG_DEFAULTS.quotaPeriod,
      QUOTA_PERIODS,
      `${setting}.quotaPeriod`,
      fix,
    ),
    keyGeneration,
    ...(previousKeyGeneration !== undefined && { previousKeyGeneration }),
    ...(fields.fit !== undefined && { fit: oneOf(fields.fit, PROFILE_NAMES, `${setting}.fit`, fix) }),
  };
}

export function readClients(value: unknown): ClientConfig[] {
  if (value === undefined || value === null || value === '') {
    fail('clients', 'an object naming at least one client', value ?? 'nothing', CLIENTS_FIX);
  }
  const clients = Object.entries(jsonObject(value, 'clients', CLIENTS_FIX)).map(([name, raw]) =>
    readClient(name, raw),
  );
  if (clients.length === 0) fail('clients', 'an object naming at least one client', value, CLIENTS_FIX);
  // Output names keep only letters and digits; "a-b" and "ab" would share one.
  const seen = new Map<string, string>();
  for (const { name } of clients) {
    const alnum = outputIdOf(name);
    const other = seen.get(alnum);
    if (other !== undefined)
      fail(
        'clients',
        'names that differ in more than - and _',
        `${other}, ${name}`,
        'rename one of the clients',
      );
    seen.set(alnum, name);
  }
  return clients;
}

/** The client's name as used in CloudFormation output ids (letters and digits only). */
export function outputIdOf(clientName: string): string {
  return clientName
    .split(/[-_]/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
