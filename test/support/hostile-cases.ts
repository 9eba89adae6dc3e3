import { makeBombs } from './hostile-images';
import { craftClip } from './crafted-clips';
import { box, makeImage, makeMp4, REFUSED_SAMPLES } from './image-fixtures';

/**
 * One hostile request and the exact answer it must get. The suite sends `target` as-is over
 * real HTTP (no URL normalisation), with the valid API key unless `apiKey` says otherwise,
 * and checks: this status, a JSON body with this `error`, nothing stored, never a 5xx.
 */
export interface HostileCase {
  readonly name: string;
  readonly method: string;
  /** The request target exactly as written on the request line. */
  readonly target: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Bytes written on the socket instead of a well-formed request (malformed HTTP). */
  readonly rawBytes?: string;
  /** `'valid'` (default), `'none'`, or a literal key to present. */
  readonly apiKey?: string;
  readonly status: number;
  readonly error: string;
}

type Row = Omit<HostileCase, 'method' | 'target'> & Partial<Pick<HostileCase, 'method' | 'target'>>;

const JSON_HEADERS = { 'content-type': 'application/json' };
const b64 = (bytes: Buffer) => bytes.toString('base64');

/** A POST /uploads with a JSON text body (written verbatim: duplicates and bad syntax survive). */
const jsonText = (name: string, text: string | Buffer, status: number, error: string): HostileCase => ({
  name,
  method: 'POST',
  target: '/uploads',
  headers: JSON_HEADERS,
  body: text,
  status,
  error,
});
const json = (name: string, value: unknown, status: number, error: string) =>
  jsonText(name, JSON.stringify(value), status, error);
const raw = (
  name: string,
  contentType: string,
  body: Buffer | string,
  status: number,
  error: string,
  target = '/uploads',
): HostileCase => ({
  name,
  method: 'POST',
  target,
  headers: { 'content-type': contentType },
  body,
  status,
  error,
});
const row = (r: Row): HostileCase => ({ method: 'POST', target: '/uploads', ...r });

/** Hostile upload bodies: JSON, base64, data URIs, images, content types, filenames. */
export async function uploadBodyCases(): Promise<HostileCase[]> {
  const [png, jpeg, gif, webp, avif, bombs] = await Promise.all([
    makeImage('png', 16, 16),
    makeImage('jpeg', 16, 16),
    makeImage('gif', 16, 16),
    makeImage('webp', 16, 16),
    makeImage('avif', 16, 16),
    makeBombs(),
  ]);
  const half = (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2));
  const mvex = box('mvex', box('trex', Buffer.alloc(24)));
  const html = REFUSED_SAMPLES.html;
  const webpPlusHtml = Buffer.concat([webp, html]);
  const withPng = (extra: Record<string, unknown>) => ({ image: b64(png), ...extra });
  const overlongDotSlash = Buffer.from([0xc0, 0xae, 0xc0, 0xae, 0xc0, 0xaf]);

  return [
    // Malformed JSON.
    jsonText('an unterminated object', '{', 400, 'INVALID_JSON'),
    jsonText('a cut-off value', '{"image":', 400, 'INVALID_JSON'),
    jsonText('single-quoted JSON', "{'image': 'iVBORw0KGgo='}", 400, 'INVALID_JSON'),
    jsonText('a trailing comma', `{"image":"${b64(png)}",}`, 400, 'INVALID_JSON'),
    jsonText('a comment in JSON', `{/* hi */"image":"${b64(png)}"}`, 400, 'INVALID_JSON'),
    jsonText('a NaN literal', '{"image": NaN}', 400, 'INVALID_JSON'),
    jsonText('an empty JSON body', '', 400, 'INVALID_JSON'),
    jsonText('JSON behind a byte-order mark', `\uFEFF{"image":"${b64(png)}"}`, 400, 'INVALID_JSON'),
    jsonText('100,000 unclosed brackets', '['.repeat(100_000), 400, 'INVALID_JSON'),
    jsonText('raw PNG bytes sent as JSON', png, 400, 'INVALID_JSON'),
    raw(
      'a form-encoded body',
      'application/x-www-form-urlencoded',
      `image=${encodeURIComponent(b64(png))}`,
      400,
      'INVALID_JSON',
    ),
    // Wrong JSON types.
    json('a JSON array', [b64(png)], 400, 'INVALID_REQUEST'),
    json('a JSON string', b64(png), 400, 'INVALID_REQUEST'),
    json('JSON null', null, 400, 'INVALID_REQUEST'),
    json('a JSON number', 42, 400, 'INVALID_REQUEST'),
    jsonText('100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 400, 'INVALID_REQUEST'),
    json('an object without image', { imageType: 'png' }, 400, 'INVALID_REQUEST'),
    json('image as a number', { image: 12345 }, 400, 'INVALID_REQUEST'),
    json('image as null', { image: null }, 400, 'INVALID_REQUEST'),
    json('image as an array', { image: [b64(png)] }, 400, 'INVALID_REQUEST'),
    json('image as an object', { image: { data: b64(png) } }, 400, 'INVALID_REQUEST'),
    json('image as a boolean', { image: true }, 400, 'INVALID_REQUEST'),
    json('imageType as a number', withPng({ imageType: 5 }), 400, 'INVALID_REQUEST'),
    json('imageType as an array', withPng({ imageType: ['png'] }), 400, 'INVALID_REQUEST'),
    json('filename as an object', withPng({ filename: { name: 'a.png' } }), 400, 'INVALID_REQUEST'),
    json('filename as an array', withPng({ filename: ['a.png'] }), 400, 'INVALID_REQUEST'),
    json('Image spelled with a capital', { Image: b64(png) }, 400, 'INVALID_REQUEST'),
    jsonText('image hidden in __proto__', `{"__proto__":{"image":"${b64(png)}"}}`, 400, 'INVALID_REQUEST'),
    // Duplicate and extra fields: the last duplicate wins and is checked like any value.
    jsonText(
      'a duplicate image whose last value is SVG',
      `{"image":"${b64(png)}","image":"${b64(REFUSED_SAMPLES.svg)}"}`,
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    jsonText(
      'a duplicate image whose last value is not base64',
      `{"image":"${b64(png)}","image":"!!!!"}`,
      400,
      'INVALID_BASE64',
    ),
    jsonText(
      'a duplicate imageType that turns to gif',
      `{"image":"${b64(png)}","imageType":"png","imageType":"gif"}`,
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    jsonText(
      'a duplicate filename that climbs',
      `{"image":"${b64(png)}","filename":"a.png","filename":"../../a.png"}`,
      400,
      'INVALID_FILENAME',
    ),
    json(
      'extra key/bucket fields beside HTML bytes',
      { image: b64(html), key: '../bob/x.png', bucket: 'other' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    // Huge strings.
    json(
      'a 7 MB image string (over the Lambda limit)',
      { image: 'A'.repeat(7_000_000) },
      413,
      'PAYLOAD_TOO_LARGE',
    ),
    json('4.5 MB of zero bytes in base64', { image: 'A'.repeat(6_000_000) }, 413, 'PAYLOAD_TOO_LARGE'),
    json('3 MB of zero bytes in base64', { image: 'A'.repeat(4_000_000) }, 415, 'UNSUPPORTED_MEDIA_TYPE'),
    json('a 1 MB imageType', withPng({ imageType: 'p'.repeat(1_000_000) }), 415, 'UNSUPPORTED_MEDIA_TYPE'),
    json('a 100,000-character filename', withPng({ filename: 'x'.repeat(100_000) }), 400, 'INVALID_FILENAME'),
    // Base64 alphabets.
    json('base64 with characters outside any alphabet', { image: 'iVBORw0K!!!' }, 400, 'INVALID_BASE64'),
    json(
      'mixed standard and URL-safe base64',
      { image: `${b64(png).slice(0, 8)}+_${b64(png).slice(10)}` },
      400,
      'INVALID_BASE64',
    ),
    json('base64 of impossible length', { image: 'AAAAA' }, 400, 'INVALID_BASE64'),
    json('padding in the middle of base64', { image: 'iVBO=Rw0KGgo=' }, 400, 'INVALID_BASE64'),
    json('three padding characters', { image: 'AAA===' }, 400, 'INVALID_BASE64'),
    json('a NUL inside base64', { image: `iVBORw0K\u0000GgoAAAAN` }, 400, 'INVALID_BASE64'),
    json('full-width unicode letters as base64', { image: 'ＡＢＣＤ' }, 400, 'INVALID_BASE64'),
    json(
      'base64 of base64 (double-encoded)',
      { image: b64(Buffer.from(b64(png))) },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    // Data URIs.
    json(
      'a data URI saying GIF around PNG bytes',
      { image: `data:image/gif;base64,${b64(png)}` },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    json(
      'a data URI saying text/html around PNG bytes',
      { image: `data:text/html;base64,${b64(png)}` },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    json(
      'an SVG data URI',
      { image: `data:image/svg+xml;base64,${b64(REFUSED_SAMPLES.svg)}` },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    json(
      'a data URI saying PNG around HTML',
      { image: `data:image/png;base64,${b64(html)}` },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    json('a data URI that is not base64', { image: 'data:image/png,%89PNG' }, 400, 'INVALID_DATA_URI'),
    json(
      'a data URI with 4 KB of parameters',
      { image: `data:image/png;${'a=b;'.repeat(1_000)}base64,${b64(png)}` },
      400,
      'INVALID_DATA_URI',
    ),
    json('an empty data URI', { image: 'data:image/png;base64,' }, 400, 'EMPTY_IMAGE'),
    // Empty, tiny, truncated.
    json('an empty image', { image: '' }, 400, 'EMPTY_IMAGE'),
    json('whitespace as the image', { image: ' \n ' }, 400, 'EMPTY_IMAGE'),
    raw('an empty raw image/png body', 'image/png', '', 400, 'EMPTY_IMAGE'),
    raw('a 1-byte raw image/png body', 'image/png', Buffer.from([0x89]), 415, 'UNSUPPORTED_MEDIA_TYPE'),
    json('a 1-byte base64 image', { image: 'iQ==' }, 415, 'UNSUPPORTED_MEDIA_TYPE'),
    json('a PNG signature alone', { image: b64(png.subarray(0, 8)) }, 422, 'INVALID_IMAGE'),
    json('a truncated PNG', { image: b64(half(png)) }, 422, 'INVALID_IMAGE'),
    raw('a truncated raw JPEG', 'image/jpeg', half(jpeg), 422, 'INVALID_IMAGE'),
    json('a GIF without its trailer', { image: b64(gif.subarray(0, gif.length - 1)) }, 422, 'INVALID_IMAGE'),
    json('a truncated WebP', { image: b64(half(webp)) }, 422, 'INVALID_IMAGE'),
    json('a truncated AVIF', { image: b64(half(avif)) }, 422, 'INVALID_IMAGE'),
    json('a truncated MP4', { image: b64(makeMp4().subarray(0, 60)) }, 422, 'INVALID_IMAGE'),
    // MP4 clips whose metadata cannot be removed without touching the media.
    raw('a fragmented MP4', 'video/mp4', craftClip({ moovExtra: [mvex] }), 422, 'CLIP_NOT_CLEANABLE'),
    raw('an MP4 with a GPS track', 'video/mp4', craftClip({ handler: 'meta' }), 422, 'CLIP_NOT_CLEANABLE'),
    raw(
      'an MP4 whose chunk points outside mdat',
      'video/mp4',
      craftClip({ chunks: [900] }),
      422,
      'CLIP_NOT_CLEANABLE',
    ),
    // Polyglots.
    json(
      'a PNG with an HTML page appended',
      { image: b64(Buffer.concat([png, html])) },
      422,
      'INVALID_IMAGE',
    ),
    raw(
      'a raw PNG with an HTML page appended',
      'image/png',
      Buffer.concat([png, html]),
      422,
      'INVALID_IMAGE',
    ),
    json(
      'a GIF with a ZIP appended (GIFAR)',
      { image: b64(Buffer.concat([gif, REFUSED_SAMPLES.zip])) },
      422,
      'INVALID_IMAGE',
    ),
    json('a WebP with HTML appended', { image: b64(webpPlusHtml) }, 422, 'INVALID_IMAGE'),
    json(
      'an HTML page with a PNG appended',
      { image: b64(Buffer.concat([html, png])) },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    // Not images.
    ...Object.entries({
      ...REFUSED_SAMPLES,
      'a PE executable': Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62)]),
      'a shell script': Buffer.from('#!/bin/sh\nrm -rf /\n'),
    }).map(([kind, bytes]) =>
      json(`${kind} as base64`, { image: b64(bytes) }, 415, 'UNSUPPORTED_MEDIA_TYPE'),
    ),
    json(
      'SVG behind a byte-order mark and blank lines',
      { image: b64(Buffer.from(`\uFEFF\n\n${REFUSED_SAMPLES.svg}`)) },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    raw(
      'an ELF executable as octet-stream',
      'application/octet-stream',
      REFUSED_SAMPLES.elf,
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    raw(
      'a PDF as octet-stream',
      'application/octet-stream',
      REFUSED_SAMPLES.pdf,
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    // Decompression bombs: tiny files declaring far more than 100 megapixels.
    ...Object.entries(bombs).map(([kind, bytes]) =>
      json(`a ${kind} bomb`, { image: b64(bytes) }, 422, 'IMAGE_TOO_MANY_PIXELS'),
    ),
    raw('a raw image/png bomb', 'image/png', bombs['PNG 100000×100000']!, 422, 'IMAGE_TOO_MANY_PIXELS'),
    // Content-Type headers.
    raw('SVG as image/svg+xml', 'image/svg+xml', REFUSED_SAMPLES.svg, 415, 'UNSUPPORTED_MEDIA_TYPE'),
    raw('HTML as text/html', 'text/html', html, 415, 'UNSUPPORTED_MEDIA_TYPE'),
    raw(
      'a PNG as multipart/form-data',
      'multipart/form-data; boundary=x',
      png,
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    raw(
      'XML as application/xml',
      'application/xml',
      '<?xml version="1.0"?><a/>',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    raw('a PNG as video/quicktime', 'video/quicktime', png, 415, 'UNSUPPORTED_MEDIA_TYPE'),
    raw('GIF bytes as image/png', 'image/png', gif, 415, 'UNSUPPORTED_MEDIA_TYPE'),
    raw(
      'a JSON body as image/png',
      'image/png',
      JSON.stringify({ image: b64(png) }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ),
    // Filenames: path tricks, control characters, invalid and overlong unicode.
    json(
      'a filename climbing to /etc/passwd',
      withPng({ filename: '../../etc/passwd' }),
      400,
      'INVALID_FILENAME',
    ),
    json(
      'a Windows filename climbing out',
      withPng({ filename: '..\\..\\boot.ini' }),
      400,
      'INVALID_FILENAME',
    ),
    json(
      'a percent-encoded climbing filename',
      withPng({ filename: '%2e%2e%2f%2e%2e%2fpasswd' }),
      400,
      'INVALID_FILENAME',
    ),
    json('a filename with a NUL', withPng({ filename: 'cat.png\u0000.html' }), 400, 'INVALID_FILENAME'),
    json('a filename with CR LF', withPng({ filename: 'cat\r\nSet-Cookie: a=b' }), 400, 'INVALID_FILENAME'),
    json(
      'a filename with a right-to-left override',
      withPng({ filename: 'cat\u202Egnp.exe' }),
      400,
      'INVALID_FILENAME',
    ),
    jsonText(
      'a filename with a lone surrogate',
      `{"image":"${b64(png)}","filename":"cat\\ud800.png"}`,
      400,
      'INVALID_FILENAME',
    ),
    jsonText(
      'a filename of overlong UTF-8 for ../',
      Buffer.concat([
        Buffer.from(`{"image":"${b64(png)}","filename":"`),
        overlongDotSlash,
        Buffer.from('x.png"}'),
      ]),
      400,
      'INVALID_FILENAME',
    ),
    json('a 256-character filename', withPng({ filename: 'x'.repeat(256) }), 400, 'INVALID_FILENAME'),
    json('a filename of 200 emoji', withPng({ filename: '😀'.repeat(200) }), 400, 'INVALID_FILENAME'),
    raw(
      '?filename= climbing out',
      'image/png',
      png,
      400,
      'INVALID_FILENAME',
      '/uploads?filename=..%2F..%2Fetc%2Fpasswd',
    ),
    raw(
      '?filename= double-encoded climb',
      'image/png',
      png,
      400,
      'INVALID_FILENAME',
      '/uploads?filename=%252e%252e%252fpasswd',
    ),
    raw('?filename= with a NUL', 'image/png', png, 400, 'INVALID_FILENAME', '/uploads?filename=cat%00.png'),
    raw(
      '?filename= with CR LF',
      'image/png',
      png,
      400,
      'INVALID_FILENAME',
      '/uploads?filename=a%0D%0ASet-Cookie:%20x',
    ),
    raw(
      '?filename= of overlong UTF-8',
      'image/png',
      png,
      400,
      'INVALID_FILENAME',
      '/uploads?filename=%C0%AE%C0%AE%C0%AFx.png',
    ),
    raw(
      '?filename= with a right-to-left override',
      'image/png',
      png,
      400,
      'INVALID_FILENAME',
      '/uploads?filename=cat%E2%80%AEgnp.exe',
    ),
    raw(
      '?filename= of 300 characters',
      'image/png',
      png,
      400,
      'INVALID_FILENAME',
      `/uploads?filename=${'y'.repeat(300)}`,
    ),
    // API keys.
    row({
      name: 'no API key',
      headers: JSON_HEADERS,
      body: JSON.stringify(withPng({})),
      apiKey: 'none',
      status: 403,
      error: 'FORBIDDEN',
    }),
    row({
      name: 'a wrong API key',
      headers: JSON_HEADERS,
      body: JSON.stringify(withPng({})),
      apiKey: 'not-the-key',
      status: 403,
      error: 'FORBIDDEN',
    }),
    row({
      name: 'the API key in the query string',
      target: '/uploads?x-api-key=hostile-key',
      headers: JSON_HEADERS,
      body: JSON.stringify(withPng({})),
      apiKey: 'none',
      status: 403,
      error: 'FORBIDDEN',
    }),
    row({
      name: 'the API key upper-cased',
      headers: JSON_HEADERS,
      body: JSON.stringify(withPng({})),
      apiKey: 'HOSTILE-KEY',
      status: 403,
      error: 'FORBIDDEN',
    }),
  ];
}
