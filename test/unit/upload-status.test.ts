import { describe, expect, it } from 'vitest';
import {
  PENDING_STATUS,
  parseUploadStatus,
  publishedStatus,
  refusedStatus,
} from '../../lambdas/core/upload-status';

const ANSWER = {
  url: 'https://d111111abcdef8.cloudfront.net/alice/ab12.jpg',
  key: 'alice/ab12.jpg',
  contentType: 'image/jpeg',
  size: 183_204,
  width: 1568,
  height: 1176,
  tokens: { anthropic: 1568 },
};

/** A status record as the check function stores it: JSON bytes. */
const recorded = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

describe('parseUploadStatus', () => {
  it('reads a published status back with its whole upload answer', () => {
    // Prepare
    const bytes = recorded(publishedStatus(ANSWER));

    // Act
    const status = parseUploadStatus(bytes);

    // Assess
    expect(status).toEqual({ ...ANSWER, status: 'published' });
  });

  it('reads a refused status back with its error code and message', () => {
    // Prepare
    const bytes = recorded(refusedStatus('UNSUPPORTED_MEDIA_TYPE', 'the bytes are not an image'));

    // Act
    const status = parseUploadStatus(bytes);

    // Assess
    expect(status).toEqual({
      status: 'refused',
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'the bytes are not an image',
    });
  });

  it.each([
    ['an empty record', Buffer.alloc(0)],
    ['text that is not JSON', Buffer.from('published')],
    ['truncated JSON', recorded(publishedStatus(ANSWER)).subarray(0, 20)],
    ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0xfd])],
    ['JSON null', recorded(null)],
    ['a JSON number', recorded(42)],
    ['a JSON string', recorded('published')],
    ['a JSON array', recorded([{ status: 'published' }])],
    ['an object without a status', recorded(ANSWER)],
    ['an unknown status', recorded({ status: 'done', ...ANSWER })],
    ['a status in other case', recorded({ status: 'PUBLISHED', ...ANSWER })],
    ['a pending status', recorded(PENDING_STATUS)],
  ])('reads %s as pending', (_name, bytes) => {
    // Act
    const status = parseUploadStatus(bytes);

    // Assess
    expect(status).toEqual({ status: 'pending' });
  });
});

describe('publishedStatus', () => {
  it('says published even when the answer carries a status of its own', () => {
    // Act
    const status = publishedStatus({ ...ANSWER, status: 'refused' });

    // Assess
    expect(status).toEqual({ ...ANSWER, status: 'published' });
  });
});
