import { DEFAULT_PROFILE, PROFILE_NAMES, type ProfileName } from '../core/model-profiles';
import { ENV } from '../adapters/env-names';
import { parseNamedPairs } from '../adapters/config';
import { type Env, loadSettings, type Setting, SettingRefusal } from './setting';
import { oneOfSetting } from './setting-kinds';

const profileNamed = (value: string) => {
  if (!(PROFILE_NAMES as readonly string[]).includes(value))
    throw new Error(`"${value}" is not a profile; profiles: ${PROFILE_NAMES.join(', ')}`);
  return value as ProfileName;
};

/** Per-client profiles, `name=profile` pairs; written from the `clients` context key's `fit` fields. */
const clientFits: Setting<ReadonlyMap<string, ProfileName>> = {
  envName: ENV.clientFits,
  fallback: () => new Map(),
  parse(raw) {
    const byClient = new Map<string, ProfileName>();
    try {
      for (const [client, fit] of parseNamedPairs(String(raw), ENV.clientFits))
        byClient.set(client, profileNamed(fit));
    } catch (err) {
      throw new SettingRefusal('client=profile pairs', { detail: (err as Error).message });
    }
    return byClient;
  },
  format: (byClient) =>
    byClient.size === 0 ? undefined : [...byClient].map(([client, fit]) => `${client}=${fit}`).join(','),
  fix: () => 'set "fit" of a client under "clients" in cdk.json "context"',
};

/**
 * Which profile an upload that names none gets: read by every function that renders or signs an
 * upload. Two groups: the default is a context key, the per-client profiles come from `clients`.
 */
export const defaultFitSettings = {
  /** Profile of uploads that name none (`fit`), for clients without their own. */
  defaultFit: oneOfSetting<ProfileName>({
    contextKey: 'defaultFit',
    envName: ENV.defaultFit,
    fallback: DEFAULT_PROFILE,
    allowed: PROFILE_NAMES,
    example: 'universal',
  }),
};

export const clientFitSettings = { clientFits };

/** Both groups, in the order a function's environment is written from them. */
export const fitSettings = [defaultFitSettings, clientFitSettings] as const;

/** The profile of uploads that name none: `DEFAULT_FIT`, overridden per client by `CLIENT_FITS`. */
export function loadFitDefaults(env: Env): {
  default: ProfileName;
  byClient: ReadonlyMap<string, ProfileName>;
} {
  return {
    default: loadSettings(defaultFitSettings, env).defaultFit,
    byClient: loadSettings(clientFitSettings, env).clientFits,
  };
}
