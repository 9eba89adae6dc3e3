import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../lambdas/core/errors';
import { profileFor, type FitDefaults } from '../../lambdas/core/fit-defaults';
import { MODEL_PROFILES, PROFILE_NAMES, type ProfileName } from '../../lambdas/core/model-profiles';

const FITS: FitDefaults = {
  default: 'universal',
  byClient: new Map<string, ProfileName>([
    ['alice', 'openai'],
    ['bob', 'original'],
  ]),
};

describe('profileFor', () => {
  it.each([
    // fit asked, client, profile served
    ['anthropic', 'alice', 'anthropic'], // the asked fit wins over the client's default
    ['gemini', 'carol', 'gemini'], // and over the deployment's
    [' Anthropic-HiRes ', 'bob', 'anthropic-hires'], // trimmed, any case
    [undefined, 'alice', 'openai'], // no fit: the client's default
    [undefined, 'bob', 'original'],
    [null, 'alice', 'openai'], // JSON null counts as no fit
    [undefined, 'carol', 'universal'], // no client default: the deployment's
    [undefined, 'ALICE', 'universal'], // client names are exact
  ] as const)('serves fit %j for client %s with the %s profile', (fit, client, expected) => {
    // Act
    const profile = profileFor(fit, client, FITS);

    // Assess
    expect(profile).toBe(MODEL_PROFILES[expected]);
  });

  it('serves the deployment default when it is not universal', () => {
    // Prepare
    const fits: FitDefaults = { default: 'anthropic', byClient: new Map() };

    // Act
    const profile = profileFor(undefined, 'carol', fits);

    // Assess
    expect(profile.name).toBe('anthropic');
  });

  it.each([['claude'], [''], ['   '], [42], [true], [{ name: 'openai' }], [['openai']]])(
    'refuses fit %j with 400 UNKNOWN_PROFILE naming the profiles, whatever the defaults',
    (fit) => {
      // Act
      const act = () => profileFor(fit, 'alice', FITS);

      // Assess
      expect(act).toThrow(BadRequestError);
      expect(act).toThrow(
        expect.objectContaining({
          code: 'UNKNOWN_PROFILE',
          statusCode: 400,
          message: expect.stringContaining(PROFILE_NAMES.join(', ')),
        }),
      );
    },
  );
});
