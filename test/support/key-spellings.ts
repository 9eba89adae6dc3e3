/**
 * Ways client `alice` might try to reach client `bob`'s objects (or things no client may
 * touch). Each key is the value as the route receives it (path parameters arrive decoded once).
 */
export const BOB_SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
export const BOB_KEY = `bob/${BOB_SHA}.png`;
export const QUARANTINED_ID = '0123456789abcdef0123456789abcdef';

export const FOREIGN_KEY_SPELLINGS: readonly (readonly [string, string])[] = [
  ["another client's key", BOB_KEY],
  ['dot-dot out of the own namespace', `alice/../${BOB_KEY}`],
  ['percent-encoded dot-dot', `alice/%2e%2e/${BOB_KEY}`],
  ['upper-case percent-encoded dot-dot', `alice/%2E%2E/${BOB_KEY}`],
  ['encoded slash and dot-dot', `alice/..%2f${BOB_KEY}`],
  ['double-encoded dot-dot', `alice/%252e%252e/${BOB_KEY}`],
  ['backslashes', `alice\\..\\${BOB_KEY.replace('/', '\\')}`],
  ['dot segment', `./${BOB_KEY}`],
  ['absolute path', `/${BOB_KEY}`],
  ['double slash', `//${BOB_KEY}`],
  ['trailing slash', `${BOB_KEY}/`],
  ['upper-case client', `BOB/${BOB_SHA}.png`],
  ['fullwidth client name', `ｂｏｂ/${BOB_SHA}.png`],
  ['fullwidth solidus', `alice／..／${BOB_KEY}`],
  ['division slash', `alice∕..∕${BOB_KEY}`],
  ['fullwidth full stops', `alice/．．/${BOB_KEY}`],
  ['right-to-left override', `alice/\u202egnp.${BOB_SHA}`],
  ['zero-width space after the client', `alice\u200b/${BOB_SHA}.png`],
  ['combining mark', `alice/${BOB_SHA}.pn\u0301g`],
  ['NUL byte', `alice/${BOB_SHA}.png\u0000`],
  ['empty key', ''],
  ['the namespace itself', 'alice/'],
  ['the client name alone', 'alice'],
  ['own quarantine', `_incoming/alice/${QUARANTINED_ID}.png`],
  ["another client's quarantine", `_incoming/bob/${QUARANTINED_ID}.png`],
  ['an s3:// URL', `s3://local-images/${BOB_KEY}`],
  ['a query string', `alice/${BOB_SHA}.png?x=../../${BOB_KEY}`],
  ['an overlong key', `alice/${'a'.repeat(300)}.png`],
];

/** Public-URL spellings for `DELETE /objects?url=`; `cdn` is the service's CDN base URL. */
export function foreignUrlSpellings(cdn: string): readonly (readonly [string, string])[] {
  const host = new URL(cdn);
  const otherScheme = `${host.protocol === 'https:' ? 'http:' : 'https:'}//${host.host}${host.pathname}`;
  return [
    ["URL of another client's object", `${cdn}/${BOB_KEY}`],
    ['URL with dot-dot', `${cdn}/alice/../${BOB_KEY}`],
    ['URL with percent-encoded dot-dot', `${cdn}/alice/%2e%2e/${BOB_KEY}`],
    ['URL with encoded slashes', `${cdn}/alice%2F..%2F${BOB_KEY.replace('/', '%2F')}`],
    ['URL with a percent-encoded client name', `${cdn}/%62ob/${BOB_SHA}.png`],
    ['URL with a fullwidth solidus', `${cdn}/alice／..／${BOB_KEY}`],
    ['URL of a quarantined object', `${cdn}/_incoming/bob/${QUARANTINED_ID}.png`],
    ['URL of another host', `https://evil.example/alice/${BOB_SHA}.png`],
    ['URL with user info', `${host.protocol}//x:y@${host.host}${host.pathname}/alice/${BOB_SHA}.png`],
    ['URL with another scheme', `${otherScheme.replace(/\/$/, '')}/alice/${BOB_SHA}.png`],
    ['not a URL', 'alice/../bob'],
    ['empty URL', ''],
    ['javascript: URL', 'javascript:alert(1)'],
  ];
}
