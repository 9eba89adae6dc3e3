/**
 * Ways client `alice` might try to reach client `bob`'s objects (or things no client may
 * touch). Each key is the value as the route receives it (path parameters arrive decoded once).
 */
export const BOB_SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
export const QUARANTINED_ID = '0123456789abcdef0123456789abcdef';

type Table = readonly (readonly [string, string])[];

/** Key spellings aimed at bob's object `bob/<sha>.png`. */
export function foreignKeySpellings(sha: string = BOB_SHA): Table {
  const bobKey = `bob/${sha}.png`;
  return [
    ["another client's key", bobKey],
    ['dot-dot out of the own namespace', `alice/../${bobKey}`],
    ['percent-encoded dot-dot', `alice/%2e%2e/${bobKey}`],
    ['upper-case percent-encoded dot-dot', `alice/%2E%2E/${bobKey}`],
    ['encoded slash and dot-dot', `alice/..%2f${bobKey}`],
    ['double-encoded dot-dot', `alice/%252e%252e/${bobKey}`],
    ['backslashes', `alice\\..\\${bobKey.replace('/', '\\')}`],
    ['dot segment', `./${bobKey}`],
    ['absolute path', `/${bobKey}`],
    ['double slash', `//${bobKey}`],
    ['trailing slash', `${bobKey}/`],
    ['upper-case client', `BOB/${sha}.png`],
    ['fullwidth client name', `ｂｏｂ/${sha}.png`],
    ['fullwidth solidus', `alice／..／${bobKey}`],
    ['division slash', `alice∕..∕${bobKey}`],
    ['fullwidth full stops', `alice/．．/${bobKey}`],
    ['right-to-left override', `alice/\u202egnp.${sha}`],
    ['zero-width space after the client', `alice\u200b/${sha}.png`],
    ['combining mark', `alice/${sha}.pn\u0301g`],
    ['NUL byte', `alice/${sha}.png\u0000`],
    ['empty key', ''],
    ['the namespace itself', 'alice/'],
    ['the client name alone', 'alice'],
    ['own quarantine', `_incoming/alice/${QUARANTINED_ID}.png`],
    ["another client's quarantine", `_incoming/bob/${QUARANTINED_ID}.png`],
    ['an s3:// URL', `s3://local-images/${bobKey}`],
    ['a query string', `alice/${sha}.png?x=../../${bobKey}`],
    ['an overlong key', `alice/${'a'.repeat(300)}.png`],
  ];
}

/** The key table aimed at a fixed digest, for unit tests. */
export const FOREIGN_KEY_SPELLINGS = foreignKeySpellings();

/** Public-URL spellings for `DELETE /objects?url=`; `cdn` is the service's CDN base URL. */
export function foreignUrlSpellings(cdn: string, sha: string = BOB_SHA): Table {
  const bobKey = `bob/${sha}.png`;
  const base = new URL(cdn);
  const otherScheme = base.protocol === 'https:' ? 'http:' : 'https:';
  return [
    ["URL of another client's object", `${cdn}/${bobKey}`],
    ['URL with dot-dot', `${cdn}/alice/../${bobKey}`],
    ['URL with percent-encoded dot-dot', `${cdn}/alice/%2e%2e/${bobKey}`],
    ['URL with encoded slashes', `${cdn}/alice%2F..%2F${bobKey.replace('/', '%2F')}`],
    ['URL with a percent-encoded client name', `${cdn}/%62ob/${sha}.png`],
    ['URL with a fullwidth solidus', `${cdn}/alice／..／${bobKey}`],
    ['URL of a quarantined object', `${cdn}/_incoming/bob/${QUARANTINED_ID}.png`],
    ['URL of another host', `https://evil.example/alice/${sha}.png`],
    [
      'URL with user info',
      `${base.protocol}//x:y@${base.host}${base.pathname.replace(/\/$/, '')}/alice/${sha}.png`,
    ],
    [
      'URL with another scheme',
      `${otherScheme}//${base.host}${base.pathname.replace(/\/$/, '')}/alice/${sha}.png`,
    ],
    ['not a URL', 'alice/../bob'],
    ['empty URL', ''],
    ['javascript: URL', 'javascript:alert(1)'],
  ];
}
