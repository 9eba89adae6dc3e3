import { describe, expect, it } from 'vitest';
import { isCloudFrontFunctionResponse } from '../../infra/edge/cloudfront-function-types';
import { CDN_SECURITY_HEADERS } from '../../infra/edge-contract';
import { RESIZE_FITS } from '../../lambdas/core/cdn-rendition';
import { PROFILE_NAMES } from '../../lambdas/core/model-profiles';
import { answerOf, KEY, REQUEST_ID, run, snappedEdge } from '../support/rendition-edge-harness';
import { randomFrom } from '../support/seeded-random';

describe('rendition edge function: refused parameters', () => {
  it.each([
    ['w=0', 'w'],
    ['w=99999', 'w'],
    ['w=4097', 'w'],
    ['w=-1', 'w'],
    ['w=+800', 'w'],
    ['w=1.5', 'w'],
    ['w=1e3', 'w'],
    ['w=08', 'w'],
    ['w=', 'w'],
    ['w', 'w'],
    ['w=%38%30%30', 'w'],
    ['w=800px', 'w'],
    ['h=0', 'h'],
    ['h=abc&w=800', 'h'],
    ['format=svg', 'format'],
    ['format=jpg', 'format'],
    ['format=', 'format'],
    ['fit=../../x', 'fit'],
    ['fit=', 'fit'],
    ['fit=fill&w=8&h=8', 'fit'],
    ['fit=cover&w=800', 'fit'],
    ['fit=contain&h=800', 'fit'],
    ['fit=cover', 'fit'],
    ['fit=anthropic&w=800', 'w'],
    ['fit=anthropic&format=webp', 'format'],
    ['fit=openai&format=auto', 'format'],
    ['fit=gemini&q=80', 'q'],
    ['q=0', 'q'],
    ['q=101', 'q'],
    ['q=high', 'q'],
    ['format=png&q=80', 'q'],
    ['w=800&w=900', 'w'],
    ['w=800&w=800', 'w'],
    ['W=800&w=800', 'w'],
    ['format=webp&FORMAT=avif', 'format'],
  ])('answers 400 INVALID_PARAMETER to ?%s, naming %s', (rawQuery, parameter) => {
    // Act
    const { status, body } = answerOf(run(snappedEdge, rawQuery));

    // Assess
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'INVALID_PARAMETER', parameter });
  });

  it.each([
    ['x=1', 'x'],
    ['width=800', 'width'],
    ['w=800&quality=80', 'quality'],
    ['__proto__=1', '__proto__'],
    ['constructor=1&w=800', 'constructor'],
    ['toString=1', 'tostring'],
    ['=800', ''],
    ['zz=1&aa=1&w=0', 'aa'],
  ])('answers 400 UNKNOWN_PARAMETER to ?%s, naming %j', (rawQuery, parameter) => {
    // Act
    const { status, body } = answerOf(run(snappedEdge, rawQuery));

    // Assess
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'UNKNOWN_PARAMETER', parameter });
  });

  it('answers UNKNOWN_PARAMETER to 50 generated parameter names, naming the first in sorted order', () => {
    // Prepare
    const random = randomFrom(50);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789_-.';
    const names = new Set<string>();
    while (names.size < 50) {
      const name = Array.from({ length: random.int(1, 12) }, () => random.pick([...alphabet])).join('');
      if (!['w', 'h', 'fit', 'format', 'q'].includes(name)) names.add(name);
    }
    const rawQuery = [...names].map((name) => `${name}=1`).join('&');

    // Act
    const { status, body } = answerOf(run(snappedEdge, `w=800&${rawQuery}`));

    // Assess
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'UNKNOWN_PARAMETER', parameter: [...names].sort()[0] });
  });

  it('answers UNKNOWN_PARAMETER to p0=1&…&p49=1', () => {
    // Prepare
    const rawQuery = Array.from({ length: 50 }, (_, i) => `p${i}=1`).join('&');

    // Act
    const { body } = answerOf(run(snappedEdge, rawQuery));

    // Assess
    expect(body).toMatchObject({ error: 'UNKNOWN_PARAMETER', parameter: 'p0' });
  });

  it.each([
    ['w=99999', 'w must be a whole number from 1 to 4096, got "99999"'],
    ['q=0', 'q must be a whole number from 1 to 100, got "0"'],
    ['format=SVG', 'format must be one of jpeg, png, webp, avif, auto, got "SVG"'],
    ['fit=cover&w=8', 'fit=cover needs both w and h'],
    ['format=png&q=80', 'q does not apply to format=png'],
    ['w=1&w=2', 'w must be given once, got 2'],
    [
      'fit=anthropic&w=800',
      'w cannot be combined with fit=anthropic, a model profile takes no other parameter',
    ],
    ['size=1', 'unknown parameter "size", allowed are w, h, fit, format, q'],
    [`w=${'9'.repeat(100)}`, `w must be a whole number from 1 to 4096, got "${'9'.repeat(40)}..."`],
  ])('says what is wrong with ?%s', (rawQuery, message) => {
    // Act
    const { body } = answerOf(run(snappedEdge, rawQuery));

    // Assess
    expect(body.message).toBe(message);
  });

  it('lists every fit and profile when the fit is unknown', () => {
    // Act
    const { body } = answerOf(run(snappedEdge, 'fit=../../x'));

    // Assess
    expect(body.message).toBe(
      `fit must be one of ${[...RESIZE_FITS, ...PROFILE_NAMES].join(', ')}, got "../../x"`,
    );
  });

  it('keeps the parameter it names short', () => {
    // Act
    const { body } = answerOf(run(snappedEdge, `${'x'.repeat(500)}=1`));

    // Assess
    expect(body.parameter).toBe('x'.repeat(40));
    expect(body.message.length).toBeLessThan(120);
  });
});

describe('rendition edge function: error answers', () => {
  it.each([
    ['a bad parameter', 'w=0', `/${KEY}`, 400, 'Bad Request'],
    ['a private path', 'w=800', '/_originals/alice/x.jpg', 404, 'Not Found'],
  ])(
    'answers %s with no-store, the security headers and a JSON body',
    (_name, rawQuery, uri, status, text) => {
      // Act
      const result = run(snappedEdge, rawQuery, { uri });

      // Assess
      if (!isCloudFrontFunctionResponse(result)) throw new Error('expected an answer');
      expect(result.statusCode).toBe(status);
      expect(result.statusDescription).toBe(text);
      expect(result.headers).toMatchObject({
        'content-type': { value: 'application/json; charset=utf-8' },
        'cache-control': { value: 'no-store' },
      });
      for (const [name, value] of Object.entries(CDN_SECURITY_HEADERS)) {
        expect(result.headers?.[name]).toEqual({ value });
      }
      expect(result.body?.encoding).toBe('text');
      expect(JSON.parse(result.body!.data)).toMatchObject({ requestId: REQUEST_ID });
    },
  );

  it('answers 404 with no parameter in the body', () => {
    // Act
    const { body } = answerOf(run(snappedEdge, 'w=800', { uri: '/_originals/alice/x.jpg' }));

    // Assess
    expect(body).toEqual({ error: 'NOT_FOUND', message: 'no such object', requestId: REQUEST_ID });
  });
});
