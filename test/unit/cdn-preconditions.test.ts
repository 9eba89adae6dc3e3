import { describe, expect, it } from 'vitest';
import {
  decideCdnAnswer,
  resolveByteRange,
  type CdnAnswer,
  type ConditionalHeaders,
} from '../../infra/local/cdn-preconditions';

const object = { size: 100, etag: '"abc"', lastModified: new Date('2026-11-01T10:00:00Z') };

describe('resolveByteRange', () => {
  it.each<[string, number, CdnAnswer]>([
    ['bytes=0-9', 100, { kind: 'partial', start: 0, end: 9 }],
    ['bytes=90-', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-10', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-500', 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=50-5000', 100, { kind: 'partial', start: 50, end: 99 }],
    ['bytes=99-99', 100, { kind: 'partial', start: 99, end: 99 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-', 0, { kind: 'unsatisfiable' }],
    ['bytes=-1', 0, { kind: 'unsatisfiable' }],
    ['bytes=9-0', 100, { kind: 'whole' }],
    ['bytes=0-1,5-6', 100, { kind: 'whole' }],
    ['items=0-1', 100, { kind: 'whole' }],
    ['bytes=-', 100, { kind: 'whole' }],
    ['bytes=a-b', 100, { kind: 'whole' }],
  ])('resolves %s of a %i-byte object', (range, size, expected) => {
    // Act
    const answer = resolveByteRange(range, size);

    // Assess
    expect(answer).toEqual(expected);
  });
});

describe('decideCdnAnswer', () => {
  it.each<[string, string, ConditionalHeaders, CdnAnswer['kind']]>([
    ['a matching If-None-Match', 'GET', { 'if-none-match': '"abc"' }, 'not-modified'],
    ['a weak matching If-None-Match on HEAD', 'HEAD', { 'if-none-match': 'W/"abc"' }, 'not-modified'],
    ['If-None-Match: *', 'GET', { 'if-none-match': '*' }, 'not-modified'],
    [
      'an If-None-Match of other tags, ignoring If-Modified-Since',
      'GET',
      { 'if-none-match': '"x", "y"', 'if-modified-since': 'Sun, 01 Nov 2026 11:00:00 GMT' },
      'whole',
    ],
    [
      'If-Modified-Since at Last-Modified',
      'GET',
      { 'if-modified-since': 'Sun, 01 Nov 2026 10:00:00 GMT' },
      'not-modified',
    ],
    [
      'If-Modified-Since before Last-Modified',
      'GET',
      { 'if-modified-since': 'Sun, 01 Nov 2026 09:59:59 GMT' },
      'whole',
    ],
    ['an unparseable If-Modified-Since', 'GET', { 'if-modified-since': 'yesterday' }, 'whole'],
    ['a Range', 'GET', { range: 'bytes=0-9' }, 'partial'],
    ['a Range on HEAD', 'HEAD', { range: 'bytes=0-9' }, 'whole'],
    ['a Range with a matching If-Range tag', 'GET', { range: 'bytes=0-9', 'if-range': '"abc"' }, 'partial'],
    ['a Range with a weak If-Range tag', 'GET', { range: 'bytes=0-9', 'if-range': 'W/"abc"' }, 'whole'],
    ['a Range with a stale If-Range tag', 'GET', { range: 'bytes=0-9', 'if-range': '"old"' }, 'whole'],
    [
      'a Range with If-Range at Last-Modified',
      'GET',
      { range: 'bytes=0-9', 'if-range': 'Sun, 01 Nov 2026 10:00:00 GMT' },
      'partial',
    ],
    ['a Range past the end', 'GET', { range: 'bytes=200-' }, 'unsatisfiable'],
    [
      'a Range and a matching If-None-Match',
      'GET',
      { range: 'bytes=200-', 'if-none-match': '"abc"' },
      'not-modified',
    ],
  ])('answers %s (%s) with %s', (_name, method, headers, expected) => {
    // Act
    const answer = decideCdnAnswer(method, headers, object);

    // Assess
    expect(answer.kind).toBe(expected);
  });
});
