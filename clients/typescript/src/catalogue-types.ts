// The client's own names for the catalogue's shapes (issue 19). They were written from the
// contract before its openapi.json landed; api-types.ts now generates the same fields, so these
// intersect with the generated types and can shrink to aliases of them (a known duplicate).
import type { ErasureStarted, ErasureStatus, ObjectInfo, ObjectListItem } from './api-types.ts';

/** Where an image is filed in your namespace: 1 to 8 segments of `[A-Za-z0-9@._+-]` joined by `/`, at most 256 characters (else `INVALID_FOLDER`). Never part of a URL. */
export type Folder = string;

/** 1 to 64 of `[a-zA-Z0-9 _.:-]`; at most 20 per image (else `INVALID_TAGS`). */
export type Tag = string;
export type Tags = readonly Tag[];

/** At most 20 pairs of text, 2 KB in all (else `INVALID_METADATA`). */
export type ImageMetadata = { readonly [name: string]: string };

/** How the image came in. */
export type ImageSource = 'upload' | 'presign' | 'url' | 'rendition';

/** Every rendition made of the image, by profile. */
export type ImageProfiles = {
  readonly [profile: string]: {
    readonly key: string;
    readonly url: string;
    readonly width?: number;
    readonly height?: number;
    readonly size: number;
    readonly contentType: string;
  };
};

/** What the catalogue adds to an object's info and listing items (absent for objects not yet recorded). */
export type ImageRecordFields = {
  readonly folder?: Folder;
  readonly filename?: string;
  readonly tags?: Tags;
  readonly metadata?: ImageMetadata;
  readonly source?: ImageSource;
  /** ISO 8601. */
  readonly createdAt?: string;
  readonly updatedAt?: string;
  /** Bytes of the upload kept privately. */
  readonly originalSize?: number;
  readonly profiles?: ImageProfiles;
};

/** `GET /objects/{key}` and `PATCH /objects/{key}`: an object and, when recorded, its image. */
export type ImageRecord = ObjectInfo & ImageRecordFields;

/** An item of `GET /objects`. */
export type ImageListItem = ObjectListItem & ImageRecordFields;

export type ImageList = {
  readonly items: readonly ImageListItem[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly cursor?: string;
};

/** `PATCH /objects/{key}`: what to set; a field left out keeps its value. */
export type ImagePatch = {
  readonly tags?: Tags;
  readonly metadata?: ImageMetadata;
  readonly filename?: string;
};

/** `GET /stats`. */
export type ImageStats = {
  readonly folder?: Folder;
  readonly images: number;
  readonly bytes: {
    /** Bytes of every profile rendition. */
    readonly served: number;
    /** Bytes of the uploads kept privately. */
    readonly originals: number;
  };
  readonly byContentType: { readonly [contentType: string]: number };
  readonly bySource: { readonly [source: string]: number };
  readonly newestCreatedAt?: string;
};

/** `DELETE /objects?folder=` done at once (200), and what `eraseFolder` resolves to. */
export type EraseAnswer = { readonly deleted: number };

/** `DELETE /objects?folder=` of a large folder (202): erased in the background (`ErasureStarted`). */
export type EraseStarted = ErasureStarted;

/** `GET /erasures/{id}`: the document's schema. */
export type { ErasureStatus };
