import { parse } from 'acorn';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCloudFrontFunctionResponse } from '../../infra/edge/cloudfront-function-types';
import {
  CLOUDFRONT_FUNCTION_MAX_BYTES,
  edgeEventOf,
  loadEdgeHandler,
  renditionEdgeCode,
} from '../../infra/edge/rendition-edge';
import { loadRenditionBounds } from '../../lambdas/settings/renditions';
import { DEFAULT_RENDITION_SIZES } from '../../lambdas/core/cdn-rendition';
import { REQUEST_ID, SNAPPED } from '../support/rendition-edge-harness';

describe('rendition edge function: the code CloudFront runs', () => {
  it.each([
    ['the default bounds', SNAPPED],
    ['any size up to 8192', loadRenditionBounds({ RENDITION_MAX_EDGE_PX: '8192', RENDITION_SIZES: 'any' })],
  ])('fits in CloudFront Functions’ 10 KB with %s', (_name, bounds) => {
    // Act
    const bytes = Buffer.byteLength(renditionEdgeCode(bounds), 'utf8');

    // Assess
    expect(bytes).toBeLessThanOrEqual(CLOUDFRONT_FUNCTION_MAX_BYTES);
  });

  it('refuses to build code over the limit', () => {
    // Prepare
    const sizes = Array.from({ length: 4096 }, (_, i) => i + 1);

    // Act
    const act = () => renditionEdgeCode({ maxEdgePx: 4096, sizes });

    // Assess
    expect(act).toThrow(/over CloudFront's 10240/);
  });

  it('is plain ES5 that cloudfront-js-2.0 runs', () => {
    // Prepare
    const source = readFileSync(new URL('../../infra/edge/rendition-request.js', import.meta.url), 'utf8');
    const code = source.replace(/\/\/.*$/gm, '').replace(/'(?:[^'\\\n]|\\.)*'/g, "''");

    // Assess
    expect(source).toMatch(/^function handler\(event\) \{$/m);
    expect(source).toMatch(/^[\x20-\x7e\n]*$/);
    for (const banned of [
      /=>/,
      /\b(const|let|class|import|export|require|async|await|of)\b/,
      /`/,
      /\.\.\./,
      /\?\./,
      /\?\?/,
      /\.includes\(/,
      /,\s*\)/,
      /\(\?<[=!a-z]/i,
      /\/[gimsuyd]*[suyd][gimsuyd]*[,;)]/,
      /\b(process|Buffer|setTimeout|globalThis|module)\b/,
    ]) {
      expect(code, String(banned)).not.toMatch(banned);
    }
  });

  it('parses as ECMAScript 5.1, a subset of what cloudfront-js-2.0 runs, with its CONFIG', () => {
    // Prepare
    const built = renditionEdgeCode({ maxEdgePx: 4096, sizes: DEFAULT_RENDITION_SIZES });

    // Act: acorn refuses any later syntax (arrows, let/const, templates, spread, classes…).
    const act = () => parse(built, { ecmaVersion: 5, sourceType: 'script' });

    // Assess
    expect(act).not.toThrow();
  });

  it('runs with no Node globals, no eval and in strict mode', () => {
    // Prepare
    const probe = `
      function handler(event) {
        var names = ['require', 'process', 'Buffer', 'module', 'exports', 'setTimeout', 'fetch',
          'Intl', 'Proxy', 'WebAssembly', 'SharedArrayBuffer'];
        var seen = [];
        for (var i = 0; i < names.length; i++) seen.push(names[i] + ':' + typeof globalThis[names[i]]);
        var evalError = 'none';
        try { new Function('return 1'); } catch (e) { evalError = e.name; }
        var strict = (function () { return this === undefined; })();
        return { statusCode: 200, body: { encoding: 'text', data: seen.join(',') + ';' + evalError + ';' + strict } };
      }`;

    // Act
    const result = loadEdgeHandler(`'use strict';\n${probe}`)(
      edgeEventOf({ method: 'GET', uri: '/', rawQuery: '', requestId: REQUEST_ID }),
    );

    // Assess
    if (!isCloudFrontFunctionResponse(result)) throw new Error('expected the probe to answer');
    const [globals, evalError, strict] = result.body!.data.split(';');
    expect(globals!.split(',').every((entry) => entry.endsWith(':undefined'))).toBe(true);
    expect(evalError).toBe('EvalError');
    expect(strict).toBe('true');
  });

  it('starts with CONFIG in strict mode', () => {
    // Act
    const code = renditionEdgeCode(SNAPPED);

    // Assess
    expect(code.split('\n').slice(0, 2)).toEqual([
      "'use strict';",
      expect.stringMatching(/^var CONFIG = \{.*\};$/),
    ]);
  });

  it('refuses code with no handler', () => {
    // Act
    const act = () => loadEdgeHandler('var handle = 1;');

    // Assess
    expect(act).toThrow('the edge code defines no top-level function handler(event)');
  });
});
