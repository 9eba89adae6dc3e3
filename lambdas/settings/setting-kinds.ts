import { listItems } from '../core/list-items';
import { wholeNumberWithin } from '../core/whole-number';
import { cliFix, type ReadEarlier, type Setting, SettingRefusal } from './setting';

/**
 * The kinds of setting a declaration is made of: a whole number within bounds, a boolean, one
 * of a set, a string matching a pattern, a list. Each gives the parser both sides share (a
 * context value or an environment string) and how the environment carries the value.
 */

export type Dependent<T> = T | ((read: ReadEarlier) => T);
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
