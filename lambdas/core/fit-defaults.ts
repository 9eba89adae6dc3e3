import { profileNamed, type ModelProfile, type ProfileName } from './model-profiles';

/** The profile a client gets when it names none: the deployment's default, or its own. */
export interface FitDefaults {
  readonly default: ProfileName;
  readonly byClient: ReadonlyMap<string, ProfileName>;
}

/** The profile asked for (`fit`), or the caller's default; 400 `UNKNOWN_PROFILE` naming the profiles. */
export function profileFor(fit: unknown, client: string, fits: FitDefaults): ModelProfile {
  return profileNamed(fit ?? fits.byClient.get(client) ?? fits.default);
}
