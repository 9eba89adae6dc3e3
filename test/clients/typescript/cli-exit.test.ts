import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOf, worstExit } from '../../../clients/typescript/src/cli-exit.ts';
import { apiErrorFor, NetworkError, TimeoutError } from '../../../clients/typescript/src/errors.ts';

const api = (code: string, status: number, sourceStatus?: number) =>
  apiErrorFor({ code, status, message: code, sourceStatus });

describe('the exit code of an error', () => {
  it.each([
    { name: 'a refused key', err: api('FORBIDDEN', 403), code: EXIT.auth },
    { name: 'a source that answered 404', err: api('SOURCE_UNAVAILABLE', 502, 404), code: EXIT.failed },
    { name: 'a source that answered 503', err: api('SOURCE_UNAVAILABLE', 502, 503), code: EXIT.failed },
    { name: 'a source that did not answer', err: api('SOURCE_UNAVAILABLE', 502), code: EXIT.failed },
    { name: 'a source the guard refuses', err: api('SOURCE_FORBIDDEN', 400), code: EXIT.failed },
    { name: 'a missing object', err: api('NOT_FOUND', 404), code: EXIT.failed },
    { name: 'storage down after retries', err: api('STORAGE_UNAVAILABLE', 503), code: EXIT.unavailable },
    { name: 'throttled after retries', err: api('THROTTLED', 429), code: EXIT.unavailable },
    { name: 'a 5xx code this client does not know', err: api('SOMETHING_NEW', 504), code: EXIT.unavailable },
    { name: 'no connection', err: new NetworkError('refused'), code: EXIT.unavailable },
    { name: 'no answer in time', err: new TimeoutError('slow'), code: EXIT.unavailable },
    { name: 'anything else', err: new Error('bug'), code: EXIT.failed },
  ])('$name: exit $code', ({ err, code }) => {
    expect(exitCodeOf(err)).toBe(code);
  });

  it('a run exits with its worst: auth, then unavailable, then failed', () => {
    expect(worstExit([api('NOT_FOUND', 404), new NetworkError('x')])).toBe(EXIT.unavailable);
    expect(worstExit([api('SOURCE_UNAVAILABLE', 502, 404)])).toBe(EXIT.failed);
    expect(worstExit([])).toBe(EXIT.ok);
  });
});
