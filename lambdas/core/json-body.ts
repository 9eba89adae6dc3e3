import { BadRequestError } from './errors';

/**
 * Parses a request body that must be a JSON object: 400 `INVALID_JSON` when it is not JSON,
 * 400 `INVALID_REQUEST` when it is JSON but not an object. `notJsonMessage` says what to send
 * instead, where the route knows better than "not valid JSON".
 */
export function parseJsonObject(
  body: string | null | undefined,
  isBase64Encoded = false,
  notJsonMessage = 'body is not valid JSON',
): Record<string, unknown> {
  const text = isBase64Encoded ? Buffer.from(body ?? '', 'base64').toString('utf8') : (body ?? '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequestError('INVALID_JSON', notJsonMessage);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestError('INVALID_REQUEST', 'body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
