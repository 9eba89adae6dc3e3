import { describe, expect, it } from 'vitest';
import { renditionUrl, type RenditionOptions } from '../../../clients/typescript/src/index.ts';

const IMAGE_URL = 'https://cdn.example/alice/9f86d081.jpg';

describe('renditionUrl', () => {
  it('writes the options in the CDN’s canonical order, whatever order they are given in', () => {
    // Act
    const url = renditionUrl(IMAGE_URL, { q: 70, format: 'webp', fit: 'cover', h: 600, w: 800 });

    // Assess
    expect(url).toBe(`${IMAGE_URL}?w=800&h=600&fit=cover&format=webp&q=70`);
  });

  it.each<[RenditionOptions, string]>([
    [{ w: 800 }, '?w=800'],
    [{ h: 1 }, '?h=1'],
    [{ w: 256, h: 256, fit: 'contain' }, '?w=256&h=256&fit=contain'],
    [{ format: 'auto' }, '?format=auto'],
    [{ w: 1200, format: 'avif', q: 100 }, '?w=1200&format=avif&q=100'],
    [{ fit: 'anthropic-hires' }, '?fit=anthropic-hires'],
    [{ fit: 'inside', w: 99_999 }, '?w=99999&fit=inside'],
    [{ format: 'png' }, '?format=png'],
    [{ w: undefined, format: 'jpeg', q: 1 }, '?format=jpeg&q=1'],
  ])('answers %j as the IMAGE_URL with %s', (options, query) => {
    expect(renditionUrl(IMAGE_URL, options)).toBe(IMAGE_URL + query);
  });

  it('answers the IMAGE_URL itself when no option is given', () => {
    expect(renditionUrl(IMAGE_URL, {})).toBe(IMAGE_URL);
  });

  it('keeps the IMAGE_URL as it was given, a local-mode one included', () => {
    const local = 'http://127.0.0.1:3000/cdn/local/a%20b.png';

    expect(renditionUrl(local, { w: 64 })).toBe(`${local}?w=64`);
  });

  it.each<[string, RenditionOptions, ErrorConstructor, RegExp]>([
    ['a size that is not whole', { w: 800.5 }, RangeError, /^w must be a whole number ≥ 1, got 800\.5$/],
    ['a size of 0', { h: 0 }, RangeError, /^h must be a whole number ≥ 1, got 0$/],
    ['a negative size', { w: -64 }, RangeError, /w .* got -64/],
    ['NaN', { w: Number.NaN }, RangeError, /w .* got NaN/],
    ['Infinity', { h: Number.POSITIVE_INFINITY }, RangeError, /h .* got Infinity/],
    [
      'a size given as a string',
      { w: '800' as unknown as number },
      TypeError,
      /^w must be a number, got "800"$/,
    ],
    ['q of 0', { format: 'webp', q: 0 }, RangeError, /^q must be a whole number 1–100, got 0$/],
    ['q over 100', { q: 101 }, RangeError, /^q must be a whole number 1–100, got 101$/],
    ['q that is not whole', { q: 79.5 }, RangeError, /q .* got 79\.5/],
    ['q with PNG', { format: 'png', q: 80 }, TypeError, /^q=80 cannot be combined with format=png/],
    [
      'an unknown fit',
      { fit: 'fill' as 'cover' },
      RangeError,
      /^fit must be one of inside, cover, contain, universal, .* got "fill"$/,
    ],
    ['a fit in capitals', { fit: 'COVER' as 'cover' }, RangeError, /fit .* got "COVER"/],
    [
      'an unknown format',
      { format: 'svg' as 'png' },
      RangeError,
      /^format must be one of jpeg, png, webp, avif, auto, got "svg"$/,
    ],
    [
      'a profile with a size',
      { fit: 'anthropic', w: 800 },
      TypeError,
      /^fit=anthropic is a model profile .* got w=800$/,
    ],
    [
      'a profile with a format and q',
      { fit: 'openai', format: 'webp', q: 50 },
      TypeError,
      /got format=webp, q=50$/,
    ],
    [
      'cover without h',
      { fit: 'cover', w: 256 },
      TypeError,
      /^fit=cover needs both w and h, got w=256, h=none$/,
    ],
    [
      'contain without w',
      { fit: 'contain', h: 256 },
      TypeError,
      /^fit=contain needs both w and h, got w=none, h=256$/,
    ],
    [
      'an unknown option',
      { width: 800 } as RenditionOptions,
      TypeError,
      /^unknown rendition option "width": one of w, h, fit, format, q$/,
    ],
  ])('refuses %s, naming the option and the value', (_, options, kind, message) => {
    // Act
    const call = () => renditionUrl(IMAGE_URL, options);

    // Assess
    expect(call).toThrow(kind);
    expect(call).toThrow(message);
  });

  it.each([`${IMAGE_URL}?w=800`, `${IMAGE_URL}?`, `${IMAGE_URL}#top`, `${IMAGE_URL}?X-Amz-Signature=abc`])(
    'refuses a IMAGE_URL that already has a query string or fragment: %s',
    (url) => {
      expect(() => renditionUrl(url, { w: 64 })).toThrow(TypeError);
      expect(() => renditionUrl(url, { w: 64 })).toThrow(/url must have no query string or fragment/);
    },
  );

  it('refuses an empty IMAGE_URL and options that are not an object', () => {
    expect(() => renditionUrl('', { w: 64 })).toThrow(TypeError);
    expect(() => renditionUrl(IMAGE_URL, null as unknown as RenditionOptions)).toThrow(
      /options must be an object, got null/,
    );
  });
});
