import { listItems } from '../core/list-items';
import { wholeNumberWithin } from '../core/whole-number';

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

type Dependent<T> = T | ((read: ReadEarlier) => T);
const resolve = <T>(value: Dependent<T>, read: ReadEarlier): T =>
  typeof value === 'function' ? (value as (read: ReadEarlier) => T)(read) : value;

interface Declaration<T> {
  readonly contextKey?: string;
  readonly envName?: string;
  readonly fallback: Dependent<T>;
  /** The fix printed at synth; `cliFix(contextKey, example)` when only an example is given. */
  readonly fix?: Dependent<string>;
  readonly example?: string;
}

function fixOf(declaration: Declaration<unknown>): (read: ReadEarlier) => string {
  return (read) =>
    declaration.fix === undefined
      ? cliFix(declaration.contextKey ?? '', declaration.example ?? '…')
      : resolve(declaration.fix, read);
}

/** A whole number within [min, max]; either bound may depend on an earlier setting; optional when its fallback is undefined. */
export function wholeNumberSetting<F extends number | undefined = number>(
  declaration: Omit<Declaration<number>, 'fallback'> & {
    readonly fallback: Dependent<F>;
    readonly min: number;
    readonly max: Dependent<number>;
  },
): Setting<number | F> {
  return {
    contextKey: declaration.contextKey,
    envName: declaration.envName,
    fallback: (read) => resolve(declaration.fallback, read),
    parse(raw, read) {
      const max = resolve(declaration.max, read);
      const value = wholeNumberWithin(raw, declaration.min, max);
      if (value === undefined) throw new SettingRefusal(`a whole number from ${declaration.min} to ${max}`);
      return value;
    },
    format: (value) => (value === undefined ? undefined : String(value)),
    fix: fixOf(declaration as Declaration<unknown>),
  };
}

/** `true` or `false` (`-c key=false` and the environment carry the string). */
export function booleanSetting(declaration: Declaration<boolean>): Setting<boolean> {
  return {
    contextKey: declaration.contextKey,
    envName: declaration.envName,
    fallback: (read) => resolve(declaration.fallback, read),
    parse(raw) {
      const text = typeof raw === 'string' ? raw.toLowerCase() : raw;
      if (text === true || text === 'true') return true;
      if (text === false || text === 'false') return false;
      throw new SettingRefusal('true or false', { envExpected: '"true" or "false"' });
    },
    format: String,
    fix: fixOf(declaration),
  };
}

/** One of a fixed set of names or numbers (`-c key=30` arrives as a string). */
export function oneOfSetting<T extends string | number>(
  declaration: Declaration<T> & { readonly allowed: readonly T[] },
): Setting<T> {
  const { allowed } = declaration;
  return {
    contextKey: declaration.contextKey,
    envName: declaration.envName,
    fallback: (read) => resolve(declaration.fallback, read),
    parse(raw) {
      const candidate = typeof raw === 'string' && typeof allowed[0] === 'number' ? Number(raw) : raw;
      if (!(allowed as readonly unknown[]).includes(candidate))
        throw new SettingRefusal(`one of ${allowed.join(', ')}`);
      return candidate as T;
    },
    format: String,
    fix: fixOf(declaration),
  };
}

/** An optional string that must match `pattern` (an ARN, a name); trimmed. */
export function patternSetting<F extends string | undefined = undefined>(
  declaration: Omit<Declaration<string>, 'fallback'> & {
    readonly fallback: Dependent<F>;
    readonly pattern: RegExp;
    readonly expected: string;
  },
): Setting<string | F> {
  return {
    contextKey: declaration.contextKey,
    envName: declaration.envName,
    fallback: (read) => resolve(declaration.fallback, read),
    parse(raw) {
      if (typeof raw !== 'string') throw new SettingRefusal('a string');
      const value = raw.trim();
      if (!declaration.pattern.test(value)) throw new SettingRefusal(declaration.expected);
      return value;
    },
    format: (value) => value,
    fix: fixOf(declaration as Declaration<unknown>),
  };
}

/**
 * A list (a JSON list in cdk.json; comma-separated with `-c` and in the environment, where
 * `none` is the empty list) whose items `parseItems` reads, throwing an `Error` on a bad one.
 * `empty`: how an empty list is written — `none`, or not at all (the unset default) — or
 * refused with the predicate given.
 */
export function listSetting<T, V = readonly T[]>(
  declaration: Declaration<V> & {
    readonly example: string;
    readonly parseItems: (items: string[]) => T[];
    readonly empty: 'none' | 'unset' | { readonly refuse: string };
  },
): Setting<V> {
  const { empty } = declaration;
  const expected = `a list such as ${declaration.example}`;
  return {
    contextKey: declaration.contextKey,
    envName: declaration.envName,
    fallback: (read) => resolve(declaration.fallback, read),
    parse(raw) {
      if (typeof raw !== 'string' && !Array.isArray(raw)) throw new SettingRefusal('a list');
      const items = typeof raw === 'string' && raw.trim().toLowerCase() === 'none' ? [] : listItems(raw);
      if (items.length === 0 && typeof empty === 'object')
        throw new SettingRefusal(expected, { predicate: empty.refuse });
      try {
        return declaration.parseItems(items) as V;
      } catch (err) {
        throw new SettingRefusal(expected, { detail: (err as Error).message });
      }
    },
    format(value) {
      const items = value as readonly T[] | undefined;
      if (items === undefined) return undefined;
      if (items.length > 0) return items.join(',');
      return empty === 'none' ? 'none' : undefined;
    },
    fix: fixOf(declaration),
  };
}
