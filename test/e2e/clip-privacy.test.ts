import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import {
  CLIP_TOOLS_INSTALL,
  type ClipFixtures,
  exifTags,
  makeClipFixtures,
  missingClipTools,
  packetHashes,
  probeStreams,
} from '../support/clip-fixtures';
import { boxPaths, chunkOffsetTypes, chunkOffsetsInMedia, mediaData } from '../support/mp4-boxes';
import { listStoredKeys } from '../support/stored-keys';
import { makeTempDir } from '../support/temp-dir';

const missing = missingClipTools();
if (missing !== '')
  console.warn(`clip privacy e2e skipped: ${missing} not on PATH; install: ${CLIP_TOOLS_INSTALL}`);

// Tags that say where, with what, or anything a person wrote.
const PRIVATE_TAG = /GPS|Location|Make|Model|Description|Comment|XMP|Software|Author|Title/i;
// Where location, device and user text live in an MP4, and the free space that may hold old copies.
const METADATA_PATH = /(^|\/)(udta|meta|uuid|XMP_|keys|ilst|©xyz|©mak|©mod|loci|free|skip)(\/|$)/;

const apiKey = 'key-clips';
const dir = makeTempDir('clip-privacy-e2e');
let server: LocalServer;
let clips: ClipFixtures;

// `any`: the answers are checked field by field (biome.json allows it in tests).
type Json = any;

async function uploadClip(bytes: Buffer): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${server.apiUrl}/uploads`, {
    method: 'POST',
    body: bytes,
    headers: { 'x-api-key': apiKey, 'content-type': 'video/mp4' },
  });
  return { status: response.status, json: await response.json() };
}

/** Uploads through a presigned PUT, then polls `GET /uploads/{id}` until the check has decided. */
async function uploadClipPresigned(bytes: Buffer): Promise<Json> {
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.apiUrl}${path}`, {
      method,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Json;
  };
  const presigned = await api('POST', '/presign', {
    method: 'PUT',
    contentType: 'video/mp4',
    contentLength: bytes.length,
  });
  const put = await fetch(presigned.url, { method: 'PUT', headers: presigned.headers, body: bytes });
  expect(put.status).toBe(200);
  let status: Json;
  await expect
    .poll(async () => (status = await api('GET', presigned.statusPath)).status, { timeout: 30_000 })
    .not.toBe('pending');
  return status;
}

const privateTags = (tags: Record<string, unknown>) =>
  Object.keys(tags).filter((name) => PRIVATE_TAG.test(name));

describe.skipIf(missing !== '')(
  `MP4 clips are served without metadata${missing === '' ? '' : ` (skipped: ${missing} missing; ${CLIP_TOOLS_INSTALL})`}`,
  () => {
    beforeAll(async () => {
      clips = await makeClipFixtures(dir.path);
      server = await startLocalServer({ port: 0, dataDir: dir.path, clients: new Map([['clips', apiKey]]) });
    });
    afterAll(async () => {
      await server?.close();
      dir.remove();
    });

    it.each([
      ['a fast-start clip tagged by exiftool (moov before mdat: the media moves)', 'fastStart'],
      ['a clip with 64-bit chunk offsets (co64) tagged by exiftool', 'co64'],
      ['a clip with moov after mdat tagged by ffmpeg', 'moovLast'],
    ] as const)('serves %s with no GPS, make, model or XMP, and the same streams', async (_name, fixture) => {
      // Prepare
      const upload = clips[fixture];
      expect(privateTags(await exifTags(dir.path, upload)).length).toBeGreaterThanOrEqual(3);
      expect(boxPaths(upload).filter((path) => METADATA_PATH.test(path)).length).toBeGreaterThan(0);

      // Act
      const answer = await uploadClip(upload);
      const response = await fetch(answer.json.url);
      const served = Buffer.from(await response.arrayBuffer());

      // Assess
      expect(answer.status).toBe(201);
      expect(answer.json).toMatchObject({
        contentType: 'video/mp4',
        method: 'metadata-stripped',
        size: served.length,
      });
      expect(response.headers.get('content-type')).toBe('video/mp4');
      expect(privateTags(await exifTags(dir.path, served))).toEqual([]);
      expect(boxPaths(served).filter((path) => METADATA_PATH.test(path))).toEqual([]);
      expect(mediaData(served).equals(mediaData(upload))).toBe(true);
      expect(chunkOffsetsInMedia(served)).toEqual(chunkOffsetsInMedia(upload));
      expect(chunkOffsetTypes(served)).toEqual(chunkOffsetTypes(upload));
      expect(await probeStreams(dir.path, served)).toEqual(await probeStreams(dir.path, upload));
      expect(await packetHashes(dir.path, served)).toEqual(await packetHashes(dir.path, upload));
    });

    it('makes clips with a picture and a sound track, fast start and co64 as named', async () => {
      // Act
      const streams = ((await probeStreams(dir.path, clips.fastStart)) as Json).streams;

      // Assess: the fixtures are what the test above claims to compare.
      expect(streams.map((s: Json) => `${s.codec_type}:${s.codec_name}`)).toEqual([
        'video:h264',
        'audio:aac',
      ]);
      expect(chunkOffsetTypes(clips.co64)).toEqual(['co64', 'co64']);
      expect(boxPaths(clips.fastStart).indexOf('moov')).toBeLessThan(
        boxPaths(clips.fastStart).indexOf('mdat'),
      );
    });

    it('serves the same URL for a clip uploaded again after its metadata was stripped', async () => {
      // Prepare
      const first = await uploadClip(clips.fastStart);
      const served = Buffer.from(await (await fetch(first.json.url)).arrayBuffer());

      // Act
      const again = await uploadClip(served);

      // Assess
      expect(again.status).toBe(201);
      expect(again.json).toMatchObject({ url: first.json.url, method: 'as-uploaded' });
    });

    it('publishes a presigned PUT of a tagged clip without its metadata, and refuses a fragmented one', async () => {
      // Act
      const tagged = await uploadClipPresigned(clips.fastStart);
      const fragmented = await uploadClipPresigned(clips.fragmented);
      const served = Buffer.from(await (await fetch(tagged.url)).arrayBuffer());

      // Assess
      expect(tagged).toMatchObject({
        status: 'published',
        method: 'metadata-stripped',
        contentType: 'video/mp4',
      });
      expect(privateTags(await exifTags(dir.path, served))).toEqual([]);
      expect(mediaData(served).equals(mediaData(clips.fastStart))).toBe(true);
      expect(fragmented).toMatchObject({ status: 'refused', error: 'CLIP_NOT_CLEANABLE' });
    });

    it.each([
      ['a fragmented clip', 'CLIP_NOT_CLEANABLE', () => clips.fragmented, /fragmented/],
      [
        'a clip with a subtitle track',
        'CLIP_NOT_CLEANABLE',
        () => clips.subtitled,
        /neither video nor audio/,
      ],
      [
        'a clip whose track box runs past its movie box',
        'INVALID_IMAGE',
        () => withTrackSize(clips.fastStart, 1 << 30),
        /box/,
      ],
    ] as const)('refuses %s with 422 %s and stores nothing', async (_name, code, make, message) => {
      // Prepare
      const before = await listStoredKeys(server.s3Endpoint, server.bucketName);

      // Act
      const answer = await uploadClip(make());

      // Assess
      expect(answer.status).toBe(422);
      expect(answer.json).toMatchObject({ error: code, message: expect.stringMatching(message) });
      expect(answer.json.requestId).toEqual(expect.any(String));
      expect(await listStoredKeys(server.s3Endpoint, server.bucketName)).toEqual(before);
    });
  },
);

/** The clip with the 32-bit size of its first `trak` box set to `size`; the top level still tiles. */
function withTrackSize(bytes: Buffer, size: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt32BE(size, copy.indexOf('trak', 0, 'latin1') - 4);
  return copy;
}
