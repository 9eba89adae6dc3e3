import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../lambdas/core/errors';
import { parseJsonObject } from '../../lambdas/core/json-body';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('parseJsonObject', () => {
  it.each([
    ['{"imageData":"iVBORw0KGgo=","imageType":"png"}', { imageData: 'iVBORw0KGgo=', imageType: 'png' }],
    ['  {"fit": "openai"}\n', { fit: 'openai' }],
    ['{}', {}],
    ['{"filename":"café.png","nested":{"a":[1,2]}}', { filename: 'café.png', nested: { a: [1, 2] } }],
  ])('parses the object %s', (body, expected) => {
    // Act
    const parsed = parseJsonObject(body);

    // Assess
    expect(parsed).toEqual(expected);
  });

  it.each([
    ['{"fit":"openai","inline":true}', { fit: 'openai', inline: true }],
    ['{"filename":"café.png"}', { filename: 'café.png' }],
  ])('decodes a base64-encoded body %s before parsing it', (json, expected) => {
    // Act
    const parsed = parseJsonObject(base64(json), true);

    // Assess
    expect(parsed).toEqual(expected);
  });

  it.each([
    ['an empty body', '', false],
    ['no body (null)', null, false],
    ['no body (undefined)', undefined, false],
    ['an unclosed object', '{"fit":"openai"', false],
    ['single quotes', "{'fit':'openai'}", false],
    ['plain text', 'fit=openai', false],
    ['a trailing comma', '{"fit":"openai",}', false],
    ['a base64-encoded non-JSON body', base64('fit=openai'), true],
    ['a JSON body wrongly flagged base64', '{"fit":"openai"}', true],
  ])('refuses %s with 400 INVALID_JSON', (_name, body, isBase64Encoded) => {
    // Act
    const act = () => parseJsonObject(body, isBase64Encoded);

    // Assess
    expect(act).toThrow(BadRequestError);
    expect(act).toThrow(expect.objectContaining({ code: 'INVALID_JSON', statusCode: 400, expose: true }));
  });

  it.each([
    ['an array', '[{"fit":"openai"}]', false],
    ['null', 'null', false],
    ['a number', '42', false],
    ['a string', '"openai"', false],
    ['a boolean', 'true', false],
    ['a base64-encoded array', base64('[]'), true],
  ])('refuses %s with 400 INVALID_REQUEST: the body must be an object', (_name, body, isBase64Encoded) => {
    // Act
    const act = () => parseJsonObject(body, isBase64Encoded);

    // Assess
    expect(act).toThrow(BadRequestError);
    expect(act).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        statusCode: 400,
        message: 'body must be a JSON object',
      }),
    );
  });

  it('keeps a "__proto__" key as data, without touching any prototype', () => {
    // Act
    const parsed = parseJsonObject('{"__proto__":{"polluted":true},"fit":"openai"}');

    // Assess
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'fit']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
