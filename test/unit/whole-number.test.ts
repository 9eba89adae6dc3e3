import { describe, expect, it } from 'vitest';
import { wholeNumberWithin } from '../../lambdas/core/whole-number';

const MIN = 1;
const MAX = 5000;

describe('wholeNumberWithin', () => {
  it.each([
    // value as it arrives, number read (or undefined)
    ['12', 12],
    [' 7 ', 7], // an environment variable with stray spaces
    ['\t42\n', 42],
    [12, 12], // a number from cdk.json
    ['1', 1], // the bounds are inclusive
    ['5000', 5000],
    ['1e3', 1000], // Number's exponent notation: a whole number all the same
    [3.5, undefined],
    ['3.5', undefined],
    ['', undefined],
    ['   ', undefined], // not read as 0
    [null, undefined],
    [undefined, undefined],
    [-1, undefined],
    ['-1', undefined],
    [0, undefined], // below min
    ['0', undefined],
    [5001, undefined], // above max
    ['5001', undefined],
    ['1e4', undefined],
    ['NaN', undefined],
    [Number.NaN, undefined],
    ['Infinity', undefined],
    [Number.POSITIVE_INFINITY, undefined],
    ['abc', undefined],
    ['12px', undefined],
    ['1_000', undefined],
    ['1,000', undefined],
    [true, undefined],
    [[12], undefined],
    [{ valueOf: () => 12 }, undefined],
  ])('reads %j as %j within [1, 5000]', (value, expected) => {
    // Act
    const number = wholeNumberWithin(value, MIN, MAX);

    // Assess
    expect(number).toBe(expected);
  });

  it.each([
    ['0', 0, 10, 0],
    ['', 0, 10, undefined], // an empty setting is not 0
    ['   ', 0, 10, undefined],
    ['-3', -5, 5, -3],
    [String(Number.MAX_SAFE_INTEGER), 0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ])('reads %j within [%i, %i] as %j', (value, min, max, expected) => {
    // Act
    const number = wholeNumberWithin(value, min, max);

    // Assess
    expect(number).toBe(expected);
  });
});
