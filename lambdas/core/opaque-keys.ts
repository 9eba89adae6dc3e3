import { createHmac } from 'node:crypto';
import { ORIGINALS_PREFIX } from './object-namespace';

/** Smallest deployment secret accepted, in bytes (256 bits, the HMAC-SHA256 block's worth of key). */
export const MIN_KEY_SECRET_BYTES = 32;

// 40 hex digits (160 bits): unguessable, and never mistaken for a 64-digit sha256 name of the
// keys made before the catalogue.
const OPAQUE_NAME_DIGITS = 40;

function keyedHash(secret: Uint8Array, ...parts: string[]): string {
  // NUL separates the parts: no part may contain it, so no two inputs give the same message.
  return createHmac('sha256', secret).update(parts.join('\0')).digest('hex');
}

/**
 * The id of an image: one upload's content (`uploadSha256Hex`) in one folder of one client.
 * Keyed with the deployment secret, so whoever holds the bytes cannot compute it.
 */
export function imageIdOf(
  secret: Uint8Array,
  client: string,
  folder: string,
  uploadSha256Hex: string,
): string {
  return keyedHash(secret, 'image', client, folder, uploadSha256Hex).slice(0, OPAQUE_NAME_DIGITS);
}

/**
 * The public key of one profile of an image: `<client>/<40 hex>.<ext>`. It reveals neither the
 * folder nor the served bytes' digest, and is stable for the same upload, folder and profile
 * (so retries and re-uploads dedupe exactly as content-addressed keys did).
 */
export function opaqueKeyOf(
  secret: Uint8Array,
  client: string,
  imageId: string,
  profile: string,
  ext: string,
): string {
  return `${client}/${keyedHash(secret, 'key', imageId, profile).slice(0, OPAQUE_NAME_DIGITS)}.${ext}`;
}

/** Where an image's upload is kept privately: one per image, so no other image's delete reaches it. */
export function imageOriginalKeyOf(client: string, imageId: string, ext: string): string {
  return `${ORIGINALS_PREFIX}${client}/${imageId}.${ext}`;
}
