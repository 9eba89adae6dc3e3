/** Folders every way in must refuse with 400 INVALID_FOLDER (and store nothing). */
export const HOSTILE_FOLDERS: readonly unknown[] = [
  '',
  '/users/alice',
  '_originals',
  '_renditions/alice',
  'users/../bob',
  '..',
  './a',
  'a//b',
  'a/',
  'a/./b',
  'users/%2e%2e',
  'users/alice%40example.com',
  'users／alice', // fullwidth solidus
  'users/аlice', // Cyrillic а
  'a\u202e/b',
  'a b',
  'a\\b',
  'a/b/c/d/e/f/g/h/i',
  'x'.repeat(257),
  42,
  ['a'],
];

/** Tag lists refused with 400 INVALID_TAGS. */
export const HOSTILE_TAGS: readonly unknown[] = [
  Array.from({ length: 21 }, (_, i) => `t${i}`),
  [''],
  ['x'.repeat(65)],
  ['a,b'],
  ['<script>'],
  ['ünïcode'],
  ['tab\there'],
  [1],
  { a: 1 },
];

/** Metadata refused with 400 INVALID_METADATA. */
export const HOSTILE_METADATA: readonly unknown[] = [
  'text',
  ['a'],
  { n: 1 },
  { 'bad name': 'x' },
  { '': 'x' },
  { n: 'line\nbreak' },
  { n: 'bidi\u202e' },
  Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
  { big: 'x'.repeat(2048) },
];
