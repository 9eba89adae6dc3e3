import { isCloudFrontFunctionResponse } from '../../infra/edge/cloudfront-function-types';
import { edgeEventOf, loadEdgeHandler, renditionEdgeCode } from '../../infra/edge/rendition-edge';
import { loadRenditionBounds } from '../../lambdas/settings/renditions';
import type { BenchRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * Cache-key cardinality at the CDN: one image, asked for by a realistic mix of viewers in every
 * spelling pages and people use for the same rendition, through the real edge function. Each
 * distinct URI it writes is one cache key, one render and one stored object. The floor is what
 * the viewers need: one key per format they decode (AVIF, WebP, or the stored image's own).
 */

const KEY = `alice/${'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'}.jpg`;

type Decodes = 'avif' | 'webp' | 'original';

/** Viewers with their share of image requests (rough, for a public site) and the best format each decodes. */
const VIEWERS: readonly { name: string; share: number; accept: string | undefined; decodes: Decodes }[] = [
  {
    name: 'Chrome',
    share: 0.42,
    accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
    decodes: 'avif',
  },
  {
    name: 'Edge',
    share: 0.05,
    accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
    decodes: 'avif',
  },
  {
    name: 'Firefox',
    share: 0.04,
    accept: 'image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5',
    decodes: 'avif',
  },
  {
    name: 'Safari 17',
    share: 0.16,
    accept:
      'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5',
    decodes: 'avif',
  },
  {
    name: 'Safari 15/16 iOS',
    share: 0.05,
    accept: 'image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5',
    decodes: 'webp',
  },
  {
    name: 'Samsung Internet',
    share: 0.03,
    accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
    decodes: 'avif',
  },
  { name: 'curl', share: 0.05, accept: '*/*', decodes: 'original' },
  { name: 'no Accept', share: 0.03, accept: undefined, decodes: 'original' },
  { name: 'AI fetcher, image/*', share: 0.12, accept: 'image/*', decodes: 'original' },
  { name: 'AI fetcher, no Accept', share: 0.05, accept: undefined, decodes: 'original' },
];

/** Renditions a page means, each with the spellings of it found in the wild. */
const RENDITIONS: readonly { name: string; autoFormat: boolean; spellings: readonly string[] }[] = [
  {
    name: 'w=800, format=auto',
    autoFormat: true,
    spellings: [
      'format=auto&w=800',
      'w=800&format=auto',
      'W=800&FORMAT=AUTO',
      'w=800&fit=inside&format=auto',
      'w=790&format=auto',
    ],
  },
  {
    name: '256×256 cover, format=auto',
    autoFormat: true,
    spellings: [
      'w=256&h=256&fit=cover&format=auto',
      'format=auto&fit=cover&h=256&w=256',
      'W=256&H=256&Fit=Cover&Format=Auto',
      'w=250&h=250&fit=cover&format=auto',
    ],
  },
  {
    name: 'w=1200 WebP',
    autoFormat: false,
    spellings: ['w=1200&format=webp', 'format=WEBP&w=1200', 'w=1200&format=webp&q=80', 'w=1199&format=webp'],
  },
  {
    name: 'fit=anthropic',
    autoFormat: false,
    spellings: ['fit=anthropic', 'FIT=ANTHROPIC', 'fit=Anthropic'],
  },
];

const edge = loadEdgeHandler(renditionEdgeCode(loadRenditionBounds(process.env)));

function cacheKeyOf(rawQuery: string, accept: string | undefined): string {
  const result = edge(edgeEventOf({ method: 'GET', uri: `/${KEY}`, rawQuery, accept, requestId: 'bench' }));
  if (isCloudFrontFunctionResponse(result)) {
    throw new Error(`?${rawQuery} was answered ${result.statusCode}: ${result.body?.data}`);
  }
  return result.uri;
}

// Every viewer with every spelling: the keys each rendition can have.
const perRendition = RENDITIONS.map((rendition) => {
  const keys = new Set<string>();
  const rawKeys = new Set<string>();
  for (const viewer of VIEWERS) {
    for (const spelling of rendition.spellings) {
      keys.add(cacheKeyOf(spelling, viewer.accept));
      rawKeys.add(`${spelling}|${viewer.accept}`);
    }
  }
  const needed = rendition.autoFormat ? new Set(VIEWERS.map((viewer) => viewer.decodes)).size : 1;
  return { rendition, keys: keys.size, needed, rawKeys: rawKeys.size };
});
const worst = perRendition.reduce((a, b) => (b.keys > a.keys ? b : a));

// A stream of requests drawn from the mix: how many find a key already asked for (the best hit
// rate a cache could have), against the same with one key per rendition and decoded format, and
// with the key a cache would have without the edge function (raw query and Accept). 1,000
// requests: an image of middling traffic, where every extra key is a visible miss.
const REQUESTS = 1_000;
let state = 42;
const random = () => {
  state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
  return state / 2 ** 32;
};
const pickViewer = () => {
  let r = random();
  for (const viewer of VIEWERS) if ((r -= viewer.share) < 0) return viewer;
  return VIEWERS[VIEWERS.length - 1]!;
};
const seen = new Set<string>();
const seenIdeal = new Set<string>();
const seenRaw = new Set<string>();
let hits = 0;
let idealHits = 0;
let rawHits = 0;
for (let i = 0; i < REQUESTS; i++) {
  const viewer = pickViewer();
  const rendition = RENDITIONS[Math.floor(random() * RENDITIONS.length)]!;
  const spelling = rendition.spellings[Math.floor(random() * rendition.spellings.length)]!;
  const key = cacheKeyOf(spelling, viewer.accept);
  const ideal = `${rendition.name}|${rendition.autoFormat ? viewer.decodes : ''}`;
  const raw = `${spelling}|${viewer.accept}`;
  if (seen.has(key)) hits++;
  if (seenIdeal.has(ideal)) idealHits++;
  if (seenRaw.has(raw)) rawHits++;
  seen.add(key);
  seenIdeal.add(ideal);
  seenRaw.add(raw);
}

const percent = (n: number) => `${(n * 100).toFixed(2)} %`;
const rows: BenchRow[] = [
  {
    section: 'cache keys',
    name: 'cache keys per rendition, realistic browser mix',
    value: `${worst.keys}`,
    floor: `${worst.needed}`,
    ratio: worst.keys / worst.needed,
    target: { op: '<=', limit: 4, actual: worst.keys, label: 'target ≤ 4' },
    note:
      `the most-split of ${RENDITIONS.length} renditions (${worst.rendition.name}), ${VIEWERS.length} viewers × ` +
      `${worst.rendition.spellings.length} spellings; floor: formats the viewers decode; ` +
      `keyed on the raw query and Accept it would be ${worst.rawKeys}; ` +
      `all: ${perRendition.map((r) => `${r.rendition.name} ${r.keys}`).join(', ')}`,
  },
  {
    section: 'cache keys',
    name: 'requests to an already-seen key (hit-rate upper bound)',
    value: percent(hits / REQUESTS),
    floor: percent(idealHits / REQUESTS),
    ratio: hits / idealHits,
    target: { op: '>=', limit: 0.99 },
    note: `${REQUESTS} requests drawn from the mix; floor: one key per rendition and decoded format (the best possible); keyed on the raw query and Accept: ${percent(rawHits / REQUESTS)}`,
  },
];
reportRows(rows);
