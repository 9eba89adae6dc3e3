import { describe, expect, it } from 'vitest';
import { edgeEventOf } from '../../infra/edge/rendition-edge';
import {
  ACCEPT,
  answerOf,
  KEY,
  REQUEST_ID,
  renditionUri,
  run,
  SHA,
  snappedEdge,
  uriOf,
} from '../support/rendition-edge-harness';

describe('rendition edge function: paths', () => {
  it.each([
    [`/_originals/${KEY}`, ''],
    [`/_originals/${KEY}`, 'w=800'],
    [`/_renditions/${KEY}/w=800`, ''],
    [`/_renditions/${KEY}/w=800`, 'format=auto'],
    ['/_incoming/alice/0123456789abcdef0123456789abcdef.png', ''],
    ['/_uploads/alice/0123456789abcdef0123456789abcdef.json', 'x=1'],
    [`/%5Foriginals/${KEY}`, ''],
    [`/%5foriginals/${KEY}`, 'w=800'],
    ['/_', ''],
  ])('answers 404 to the private path %s?%s', (uri, rawQuery) => {
    // Act
    const { status, body } = answerOf(run(snappedEdge, rawQuery, { uri }));

    // Assess
    expect(status).toBe(404);
    expect(body.error).toBe('NOT_FOUND');
  });

  it.each([
    ['/'],
    ['/alice'],
    ['/alice/'],
    [`/alice/${SHA}`],
    [`/alice/x/${SHA}.jpg`],
    [`/ALICE/${SHA}.jpg`],
    [`/alice/${SHA}.JPG`],
    [`/alice/../bob/${SHA}.jpg`],
    [`/alice/%2e%2e/${SHA}.jpg`],
    [`//alice/${SHA}.jpg`],
    [`/alice/${SHA}.jpg/`],
    [`/alice/${SHA}.jpg/w=800`],
    ['/index.html'],
    [`/alice%2F${SHA}.jpg`],
    [`/-alice/${SHA}.jpg`],
  ])('answers 404 to the key shape %s with a query', (uri) => {
    // Act
    const { status } = answerOf(run(snappedEdge, 'w=800', { uri }));

    // Assess
    expect(status).toBe(404);
  });

  it.each([
    ['/'],
    [`/${KEY}`],
    ['/favicon.ico'],
    ['/ALICE/Photo.JPG'],
    ['/alice/../x'],
    [`/alice/x/${SHA}.jpg`],
  ])('passes %s with no query through unchanged', (uri) => {
    // Prepare
    const event = edgeEventOf({
      method: 'GET',
      uri,
      rawQuery: '',
      accept: ACCEPT.chrome,
      requestId: REQUEST_ID,
    });

    // Act
    const result = snappedEdge(event);

    // Assess
    expect(result).toEqual(event.request);
  });

  it('accepts the key shapes the service creates', () => {
    // Prepare
    const keys = [KEY, 'a/0123456789abcdef0123456789abcdef.webp', `client_2-x/${SHA}.heic`];

    // Act
    const uris = keys.map((key) => uriOf(run(snappedEdge, 'w=800', { uri: `/${key}` })));

    // Assess
    expect(uris).toEqual(keys.map((key) => renditionUri('w=800', key)));
  });
});
