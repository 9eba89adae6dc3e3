/**
 * One declaration per setting — its context key, environment variable, default, bounds, parser
 * and fix — and the three things derived from it: the CDK context reader that refuses a bad
 * value at synth with its fix (`readContext`), the Lambda environment it writes
 * (`environmentOf`), and the runtime reader that fails at cold start naming the variable
 * (`loadSettings`). No infra code here: every function bundles the feature files it reads.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** A missing or invalid environment variable; thrown at cold start so a bad deploy fails loudly and early. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A context value that cannot be used; the message says which, what and how to fix it. */
export class DeployConfigError extends Error {
  override readonly name = 'DeployConfigError';
}

/** Why a parser refused a value: what it expected and, for a list, what was wrong with it. */
export class SettingRefusal extends Error {
  constructor(
    readonly expected: string,
    readonly options: {
      /** What was wrong (an item of a list): "NAME: detail" at cold start, "(detail)" at synth. */
      readonly detail?: string;
      /** A whole rule: "NAME must <predicate>" at cold start, "(<predicate>)" at synth. */
      readonly predicate?: string;
      /** How an environment variable's expectation reads, when not as at synth (quoted words). */
      readonly envExpected?: string;
    } = {},
  ) {
    super(options.detail ?? options.predicate ?? expected);
    this.name = 'SettingRefusal';
  }
}

/** Reads a setting declared before the one being read (a bound or default may depend on it), from the same source. */
export type ReadEarlier = <T>(setting: Setting<T>) => T;

/** One setting, declared once. */
export interface Setting<T> {
  /** Its key in the CDK context (`cdk.json` "context", `-c key=value`); undefined: not deploy-configurable. */
  readonly contextKey?: string;
  /** The Lambda environment variable that carries it; undefined: a deploy-only setting no function reads. */
  readonly envName?: string;
  /** The value when unset (undefined: an optional setting left unset). */
  fallback(read: ReadEarlier): T;
  /** Reads a value as it arrives (JSON from cdk.json, a string from `-c` or the environment); throws `SettingRefusal`. */
  parse(raw: unknown, read: ReadEarlier): T;
  /** The value as its environment variable carries it; undefined leaves the variable unset. */
  format(value: T): string | undefined;
  /** How to fix a refused context value, printed at synth. */
  fix(read: ReadEarlier): string;
}

/** The settings of one feature, by the name of the value each gives (declaration order: dependencies first). */
// biome-ignore lint/suspicious/noExplicitAny: a group holds settings of different value types
export type SettingGroup = Readonly<Record<string, Setting<any>>>;

/** The values a group reads to. */
export type SettingValues<G extends SettingGroup> = {
  -readonly [K in keyof G]: G[K] extends Setting<infer T> ? T : never;
};

export const cliFix = (setting: string, example: string) =>
  `set it in cdk.json "context" or pass -c ${setting}=${example}`;

const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));
const isUnset = (raw: unknown) => raw === undefined || raw === null || raw === '';

/** Reads every setting of `group` in order; `readOne` reads one, given what was read before it. */
function readGroup<G extends SettingGroup>(
  group: G,
  readOne: (setting: Setting<unknown>, read: ReadEarlier) => unknown,
): SettingValues<G> {
  const known = new Map<Setting<unknown>, unknown>();
  const read: ReadEarlier = <T>(setting: Setting<T>) => {
    if (!known.has(setting))
      throw new Error(`${setting.contextKey ?? setting.envName} is read before it is declared`);
    return known.get(setting) as T;
  };
  const values: Record<string, unknown> = {};
  for (const [field, setting] of Object.entries(group)) {
    const value = readOne(setting, read);
    known.set(setting, value);
    if (value !== undefined) values[field] = value;
  }
  return values as SettingValues<G>;
}

function refusalOf(err: unknown): SettingRefusal {
  if (err instanceof SettingRefusal) return err;
  throw err;
}

/**
 * Reads a group from the CDK context (`lookup` gives a context key's raw value). Throws
 * `DeployConfigError` on the first bad value, naming the key, the value received and the fix.
 */
export function readContext<G extends SettingGroup>(
  group: G,
  lookup: (contextKey: string) => unknown,
): SettingValues<G> {
  return readGroup(group, (setting, read) => {
    const raw = setting.contextKey === undefined ? undefined : lookup(setting.contextKey);
    if (isUnset(raw)) return setting.fallback(read);
    try {
      return setting.parse(raw, read);
    } catch (err) {
      const { expected, options } = refusalOf(err);
      const why = options.detail ?? options.predicate;
      throw new DeployConfigError(
        `context "${setting.contextKey}" must be ${expected}${why ? ` (${why})` : ''}, got ${show(raw)}; ${setting.fix(read)}`,
      );
    }
  });
}

/** Reads a group from a function's environment at cold start. Throws `ConfigError` naming the variable. */
export function loadSettings<G extends SettingGroup>(group: G, env: Env): SettingValues<G> {
  return readGroup(group, (setting, read) => {
    if (setting.envName === undefined) throw new Error(`${setting.contextKey} is a deploy-only setting`);
    const raw = env[setting.envName]?.trim();
    if (!raw) return setting.fallback(read);
    try {
      return setting.parse(raw, read);
    } catch (err) {
      const { expected, options } = refusalOf(err);
      const name = setting.envName;
      if (options.predicate !== undefined) throw new ConfigError(`${name} must ${options.predicate}`);
      if (options.detail !== undefined) throw new ConfigError(`${name}: ${options.detail}`);
      throw new ConfigError(`${name} must be ${options.envExpected ?? expected}, got "${raw}"`);
    }
  });
}

/**
 * The environment variables of `groups` for `values` (a deploy config, or part of it). A setting
 * without a context key, absent from `values`, is written at its default (the function reads
 * the same default). An absent deploy setting is an unset one (an optional list, sizes `any`);
 * absent where it has a default and writes nothing, it is a mistake and throws.
 */
export function environmentOf(values: object, groups: readonly SettingGroup[]): Record<string, string> {
  const given = values as Record<string, unknown>;
  const environment: Record<string, string> = {};
  for (const group of groups) {
    const fieldOf = new Map(Object.entries(group).map(([field, setting]) => [setting, field]));
    readGroup(group, (setting, earlier) => {
      const field = fieldOf.get(setting)!;
      const value =
        field in given || setting.contextKey !== undefined ? given[field] : setting.fallback(earlier);
      const text = setting.format(value);
      if (text === undefined && value === undefined && setting.fallback(earlier) !== undefined)
        throw new Error(`environmentOf: the values given lack ${field} (${setting.envName})`);
      if (text !== undefined && setting.envName !== undefined) environment[setting.envName] = text;
      return value;
    });
  }
  return environment;
}
