import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import {
  CDN_FORMATS,
  CDN_RENDITION_PREFIX,
  type CdnRenditionBounds,
  DEFAULT_QUALITY,
  QUALITY_STEP,
  RESIZE_FITS,
  type ResizeFit,
} from '../../lambdas/core/cdn-rendition';
import { PROFILE_NAMES } from '../../lambdas/core/model-profiles';
import { CLIENT_NAME_PATTERN } from '../../lambdas/core/object-keys';
import { OBJECT_NAME_PATTERN, PRIVATE_KEY_PREFIX } from '../../lambdas/core/object-namespace';
import { CDN_SECURITY_HEADERS } from '../edge-contract';
import type {
  CloudFrontFunctionEvent,
  CloudFrontFunctionResult,
  CloudFrontFunctionValue,
  CloudFrontFunctionValues,
} from './cloudfront-function-types';

/** CloudFront Functions' limit on a function's code, in bytes (the settings written into it included). */
export const CLOUDFRONT_FUNCTION_MAX_BYTES = 10_240;

const SOURCE = new URL('./rendition-request.js', import.meta.url);

/** The settings rendition-request.js reads from its `CONFIG`, written into the code at build time. */
interface EdgeConfig {
  /** Lower-cased paths it matches are never served: `/_…` and its percent-encoded spelling. */
  readonly privatePattern: string;
  readonly renditionPrefix: string;
  readonly clientPattern: string;
  readonly objectPattern: string;
  /** Largest `w`/`h` accepted: the largest listed size, or `maxEdgePx` without a list. */
  readonly maxSize: number;
  /** Ascending sizes to snap up to, all within `maxEdgePx`; absent: any size. */
  readonly sizes?: readonly number[];
  readonly qualityStep: number;
  readonly defaultFit: string;
  readonly fits: readonly string[];
  readonly profiles: readonly string[];
  readonly formats: readonly string[];
  readonly defaultQuality: Readonly<Record<string, number>>;
  /** Headers of the edge's own 400/404 answers, in CloudFront's `{ value }` shape. */
  readonly errorHeaders: CloudFrontFunctionValues;
}

const patternSource = (pattern: RegExp): string => {
  // The runtime's regular expressions are ES5's: a flag would change the meaning or fail there.
  if (pattern.flags !== '') throw new Error(`the edge needs ${pattern} without flags`);
  return pattern.source;
};

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// Lower-case, as the edge compares it with the lower-cased path.
const percentEncoded = (text: string): string =>
  [...text].map((char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');

function edgeConfigOf(bounds: CdnRenditionBounds): EdgeConfig {
  const { maxEdgePx } = bounds;
  if (!Number.isInteger(maxEdgePx) || maxEdgePx < 1) {
    throw new Error(`bounds.maxEdgePx must be a whole number of pixels, got ${maxEdgePx}`);
  }
  // parseCanonicalSpec accepts only listed sizes within maxEdgePx: snap to exactly those.
  const sizes =
    bounds.sizes &&
    [...new Set(bounds.sizes)]
      .filter((n) => Number.isInteger(n) && n >= 1 && n <= maxEdgePx)
      .sort((a, b) => a - b);
  if (sizes?.length === 0) {
    throw new Error(
      `bounds.sizes must list a size from 1 to ${maxEdgePx}, got [${bounds.sizes!.join(', ')}]`,
    );
  }
  return {
    privatePattern: `^/(${escaped(PRIVATE_KEY_PREFIX)}|${percentEncoded(PRIVATE_KEY_PREFIX)})`,
    renditionPrefix: CDN_RENDITION_PREFIX,
    clientPattern: patternSource(CLIENT_NAME_PATTERN),
    objectPattern: patternSource(OBJECT_NAME_PATTERN),
    maxSize: sizes ? sizes[sizes.length - 1]! : maxEdgePx,
    ...(sizes && { sizes }),
    qualityStep: QUALITY_STEP,
    defaultFit: 'inside' satisfies ResizeFit, // canonicalSpec leaves it out
    fits: RESIZE_FITS,
    profiles: PROFILE_NAMES,
    formats: CDN_FORMATS,
    defaultQuality: DEFAULT_QUALITY,
    errorHeaders: Object.fromEntries(
      Object.entries({
        'content-type': 'application/json; charset=utf-8',
        // An answer about one request's parameters must not be cached for the next viewer.
        'cache-control': 'no-store',
        ...CDN_SECURITY_HEADERS,
      }).map(([name, value]) => [name, { value }]),
    ),
  };
}

/**
 * The source of the viewer-request CloudFront Function (cloudfront-js-2.0): rendition-request.js
 * with `bounds` and the service's constants written in front of it as `var CONFIG`
 * (docs/cdn-renditions.md). Throws when the result is over CloudFront's 10 KB code limit.
 */
export function renditionEdgeCode(bounds: CdnRenditionBounds): string {
  // CloudFront runs functions in strict mode; saying so lets loadEdgeHandler do the same.
  const code = `'use strict';\nvar CONFIG = ${JSON.stringify(edgeConfigOf(bounds))};\n${readFileSync(SOURCE, 'utf8')}`;
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > CLOUDFRONT_FUNCTION_MAX_BYTES) {
    throw new Error(
      `the edge function is ${bytes} bytes, over CloudFront's ${CLOUDFRONT_FUNCTION_MAX_BYTES}; shorten RENDITION_SIZES`,
    );
  }
  return code;
}

// What cloudfront-js-2.0 offers as globals, roughly: ES5.1's built-ins and a few later ones.
// Everything else a V8 context has (Intl, Proxy, WebAssembly, SharedArrayBuffer…) is removed.
const RUNTIME_GLOBALS = [
  'Object',
  'Function',
  'Array',
  'Number',
  'Boolean',
  'String',
  'Symbol',
  'Date',
  'Promise',
  'RegExp',
  'Error',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
  'JSON',
  'Math',
  'ArrayBuffer',
  'DataView',
  'Uint8Array',
  'Int8Array',
  'Uint16Array',
  'Int16Array',
  'Uint32Array',
  'Int32Array',
  'Uint8ClampedArray',
  'Float32Array',
  'Float64Array',
  'parseFloat',
  'parseInt',
  'isFinite',
  'isNaN',
  'decodeURI',
  'decodeURIComponent',
  'encodeURI',
  'encodeURIComponent',
  'globalThis',
  'console',
  'Infinity',
  'NaN',
  'undefined',
];

const PRUNE_GLOBALS = `(function (kept) {
  var names = Object.getOwnPropertyNames(globalThis);
  for (var i = 0; i < names.length; i++) {
    if (kept.indexOf(names[i]) < 0) delete globalThis[names[i]];
  }
})(${JSON.stringify(RUNTIME_GLOBALS)});`;

// Events go into the context as JSON text and results come back the same way, as they cross into
// CloudFront's runtime: the code never holds an object of this realm, nor this realm one of its.
const INVOKE = '(function (json) { return JSON.stringify(handler(JSON.parse(json))); })';

/**
 * Runs edge code (renditionEdgeCode's output) the way CloudFront would: in a fresh context with
 * no Node globals (no require, process, Buffer, timers) and no eval, in strict mode (the code
 * says so). Tests and local mode execute exactly the text that is deployed.
 */
export function loadEdgeHandler(code: string): (event: CloudFrontFunctionEvent) => CloudFrontFunctionResult {
  const context = vm.createContext(
    {},
    { name: 'cloudfront-js-2.0 stand-in', codeGeneration: { strings: false, wasm: false } },
  );
  vm.runInContext(PRUNE_GLOBALS, context);
  // Calls get no `timeout`: its watchdog thread costs ~0.5 ms a call, 25 times the function's own work.
  vm.runInContext(code, context, { filename: 'rendition-request.js', timeout: 1_000 });
  if (vm.runInContext('typeof handler', context) !== 'function') {
    throw new Error('the edge code defines no top-level function handler(event)');
  }
  const invoke = vm.runInContext(INVOKE, context) as (json: string) => unknown;
  return (event) => {
    const result = invoke(JSON.stringify(event));
    if (typeof result !== 'string') {
      throw new Error('the edge function returned neither a request nor a response');
    }
    return JSON.parse(result) as CloudFrontFunctionResult;
  };
}

/** What a viewer sent, as local mode and tests have it. */
export interface EdgeRequestInput {
  readonly method: string;
  /** The path, percent-encoded as sent. */
  readonly uri: string;
  /** The query string as sent, with or without its leading `?`. */
  readonly rawQuery: string;
  readonly accept?: string | undefined;
  readonly requestId: string;
}

/**
 * The event CloudFront would pass for this request: the query split on `&` into name=value
 * pairs (a name without `=` has the value ''), a repeated name keeping its first value in
 * `value` and all of them in `multiValue`, names and values left percent-encoded.
 */
export function edgeEventOf(input: EdgeRequestInput): CloudFrontFunctionEvent {
  const pairs = new Map<string, string[]>();
  const query = input.rawQuery.startsWith('?') ? input.rawQuery.slice(1) : input.rawQuery;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.set(name, [...(pairs.get(name) ?? []), value]);
  }
  // fromEntries defines own properties: a parameter named __proto__ stays a parameter.
  const querystring = Object.fromEntries(
    [...pairs].map(([name, values]): [string, CloudFrontFunctionValue] => [
      name,
      { value: values[0]!, ...(values.length > 1 && { multiValue: values.map((value) => ({ value })) }) },
    ]),
  );
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', requestId: input.requestId },
    request: {
      method: input.method,
      uri: input.uri,
      querystring,
      headers: input.accept === undefined ? {} : { accept: { value: input.accept } },
      cookies: {},
    },
  };
}
