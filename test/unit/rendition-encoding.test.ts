import { describe, expect, it } from 'vitest';
import type { MediaFormat } from '../../lambdas/core/media-types';
import {
  MODEL_PROFILES,
  PROFILE_NAMES,
  type ModelProfile,
  type OutputFormat,
} from '../../lambdas/core/model-profiles';
import {
  chooseOutputFormat,
  encodingAttempts,
  type EncodingAttempt,
} from '../../lambdas/core/rendition-encoding';

// What each upload is served as, with and without alpha. Every profile serves JPEG, PNG and
// WebP, so this holds for each of them.
const SERVED_AS: ReadonlyArray<readonly [MediaFormat, boolean, OutputFormat]> = [
  ['jpeg', false, 'jpeg'],
  ['png', false, 'png'],
  ['png', true, 'png'],
  ['webp', false, 'webp'],
  ['webp', true, 'webp'],
  ['gif', false, 'png'], // few colours: PNG keeps them exactly
  ['gif', true, 'png'],
  ['avif', false, 'jpeg'],
  ['avif', true, 'png'],
  ['heic', false, 'jpeg'],
  ['heic', true, 'png'],
  ['heif', false, 'jpeg'],
  ['heif', true, 'png'],
];

const EVERY_CASE = PROFILE_NAMES.flatMap((profile) =>
  SERVED_AS.map(([input, alpha, output]) => [input, alpha, profile, output] as const),
);

function profileServing(...formats: OutputFormat[]): ModelProfile {
  return { ...MODEL_PROFILES.universal, formats };
}

describe('chooseOutputFormat', () => {
  it.each(EVERY_CASE)('serves %s (alpha: %s) for the %s profile as %s', (input, alpha, profile, expected) => {
    // Prepare
    const p = MODEL_PROFILES[profile];

    // Act
    const format = chooseOutputFormat(input, alpha, p);

    // Assess
    expect(format).toBe(expected);
    expect(p.formats).toContain(format);
  });

  it.each([
    ['png', true, ['jpeg', 'webp'], 'webp'],
    ['png', false, ['jpeg', 'webp'], 'jpeg'],
    ['gif', false, ['jpeg', 'webp'], 'webp'],
    ['avif', true, ['jpeg', 'webp'], 'webp'],
    ['webp', true, ['jpeg', 'png'], 'png'],
    ['webp', false, ['jpeg', 'png'], 'jpeg'],
    ['png', true, ['png', 'gif'], 'png'],
  ] as const)('serves %s (alpha: %s) for a profile of only %j as %s', (input, alpha, formats, expected) => {
    // Prepare
    const profile = profileServing(...formats);

    // Act
    const format = chooseOutputFormat(input, alpha, profile);

    // Assess
    expect(format).toBe(expected);
  });
});

type Step = Pick<EncodingAttempt, 'format' | 'quality' | 'palette'>;

// What is tried at each size, best first.
const AT_EACH_SIZE: ReadonlyArray<readonly [OutputFormat, boolean, readonly Step[]]> = [
  [
    'jpeg',
    false,
    [
      { format: 'jpeg', quality: 85 },
      { format: 'jpeg', quality: 75 },
      { format: 'jpeg', quality: 60 },
    ],
  ],
  [
    'webp',
    false,
    [
      { format: 'webp', quality: 85 },
      { format: 'webp', quality: 70 },
    ],
  ],
  [
    'webp',
    true,
    [
      { format: 'webp', quality: 85 },
      { format: 'webp', quality: 70 },
    ],
  ],
  ['gif', false, [{ format: 'gif', quality: 100 }]],
  // No alpha to keep: a photo saved as PNG becomes a JPEG rather than fail on the byte cap.
  [
    'png',
    false,
    [
      { format: 'png', quality: 100 },
      { format: 'jpeg', quality: 85 },
      { format: 'jpeg', quality: 75 },
      { format: 'jpeg', quality: 60 },
    ],
  ],
  // Alpha to keep: a palette PNG instead.
  [
    'png',
    true,
    [
      { format: 'png', quality: 100 },
      { format: 'png', quality: 90, palette: true },
    ],
  ],
];

// 1000×500 shrunk five times by 0.8 per edge, rounded.
const SIZES_1000_BY_500 = [
  [1000, 500],
  [800, 400],
  [640, 320],
  [512, 256],
  [410, 205],
  [328, 164],
];

describe('encodingAttempts', () => {
  it.each(AT_EACH_SIZE)('tries %s (alpha: %s) first as asked, at full size', (format, alpha, steps) => {
    // Act
    const first = encodingAttempts(format, { width: 1000, height: 500 }, alpha).next();

    // Assess
    expect(first.done).toBe(false);
    expect(first.value).toEqual({ ...steps[0], format, width: 1000, height: 500 });
  });

  it.each(AT_EACH_SIZE)(
    'tries %s (alpha: %s) in the same order at each of six sizes, each 0.8 of the last',
    (format, alpha, steps) => {
      // Prepare
      const expected = SIZES_1000_BY_500.flatMap(([width, height]) =>
        steps.map((step) => ({ ...step, width, height })),
      );

      // Act
      const attempts = [...encodingAttempts(format, { width: 1000, height: 500 }, alpha)];

      // Assess
      expect(attempts).toEqual(expected);
    },
  );

  it.each([
    [
      { width: 1568, height: 1045 },
      [
        [1568, 1045],
        [1254, 836],
        [1004, 669],
        [803, 535],
        [642, 428],
        [514, 342],
      ],
    ],
    [
      { width: 300, height: 4000 },
      [
        [300, 4000],
        [240, 3200],
        [192, 2560],
        [154, 2048],
        [123, 1638],
        [98, 1311],
      ],
    ],
    [
      { width: 3, height: 2 },
      [
        [3, 2],
        [2, 2],
        [2, 1],
        [2, 1],
        [1, 1],
        [1, 1],
      ],
    ],
    [
      { width: 1, height: 7 },
      [
        [1, 7],
        [1, 6],
        [1, 4],
        [1, 4],
        [1, 3],
        [1, 2],
      ],
    ],
    [
      { width: 1, height: 1 },
      [
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
      ],
    ],
  ])('shrinks %o to %j, never below one pixel', (size, sizes) => {
    // Act
    const attempts = [...encodingAttempts('gif', size, false)];

    // Assess
    expect(attempts.map((a) => [a.width, a.height])).toEqual(sizes);
  });

  it.each(AT_EACH_SIZE)('never asks %s (alpha: %s) for a side below one pixel', (format, alpha) => {
    // Act
    const attempts = [...encodingAttempts(format, { width: 1, height: 2 }, alpha)];

    // Assess
    expect(attempts.length).toBeGreaterThan(0);
    for (const a of attempts) {
      expect(Number.isInteger(a.width) && a.width >= 1).toBe(true);
      expect(Number.isInteger(a.height) && a.height >= 1).toBe(true);
    }
  });
});

describe('chooseOutputFormat with a narrow profile', () => {
  it.each([
    [['png'], 'jpeg', false, 'png'],
    [['webp'], 'avif', false, 'webp'],
    [['jpeg'], 'gif', true, 'jpeg'],
  ] as const)(
    'serves only what the profile lists (%j): %s (alpha %s) becomes %s',
    (formats, input, alpha, expected) => {
      // Prepare
      const profile = { ...MODEL_PROFILES.universal, formats };

      // Act
      const format = chooseOutputFormat(input, alpha, profile);

      // Assess
      expect(format).toBe(expected);
    },
  );
});
