import { describe, expect, it } from 'vitest';
import { edgeEventOf } from '../../infra/edge/rendition-edge';
import { KEY, REQUEST_ID } from '../support/rendition-edge-harness';

describe('edgeEventOf', () => {
  it.each([
    ['w=800&format=webp', { w: { value: '800' }, format: { value: 'webp' } }],
    ['?w=800', { w: { value: '800' } }],
    ['w', { w: { value: '' } }],
    ['w=', { w: { value: '' } }],
    ['&&w=1&', { w: { value: '1' } }],
    ['w=1&W=2', { w: { value: '1' }, W: { value: '2' } }],
    ['w=1&w=2', { w: { value: '1', multiValue: [{ value: '1' }, { value: '2' }] } }],
    ['w=%38%30%30&a+b=c%20d', { w: { value: '%38%30%30' }, 'a+b': { value: 'c%20d' } }],
    ['x=a=b', { x: { value: 'a=b' } }],
    ['', {}],
  ])('splits ?%s the way CloudFront does', (rawQuery, querystring) => {
    // Act
    const event = edgeEventOf({ method: 'GET', uri: '/', rawQuery, requestId: REQUEST_ID });

    // Assess
    expect(event.request.querystring).toEqual(querystring);
  });

  it('keeps a parameter named __proto__ as a parameter', () => {
    // Act
    const event = edgeEventOf({ method: 'GET', uri: '/', rawQuery: '__proto__=1', requestId: REQUEST_ID });

    // Assess
    expect(Object.keys(event.request.querystring)).toEqual(['__proto__']);
  });

  it('builds a viewer-request event with the Accept header and request id', () => {
    // Act
    const event = edgeEventOf({
      method: 'GET',
      uri: `/${KEY}`,
      rawQuery: '',
      accept: 'image/webp',
      requestId: 'r-9',
    });

    // Assess
    expect(event).toEqual({
      version: '1.0',
      context: { eventType: 'viewer-request', requestId: 'r-9' },
      request: {
        method: 'GET',
        uri: `/${KEY}`,
        querystring: {},
        headers: { accept: { value: 'image/webp' } },
        cookies: {},
      },
    });
  });
});
