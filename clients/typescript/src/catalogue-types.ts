// The client's own names for the catalogue's shapes (issue 19), kept for its callers: each is
// the generated type of openapi/openapi.json (api-types.ts) or made from one, so the contract
// stays their one definition.
import type { ErasureStarted, ObjectInfo, ObjectList, ObjectListItem } from './api-types.ts';

export type {
  EraseAnswer,
  ErasureStatus,
  Folder,
  ImageMetadata,
  ImagePatch,
  ImageProfiles,
  ImageSource,
  ImageStats,
  Tag,
  Tags,
} from './api-types.ts';

/** What the catalogue adds to an object's info and listing items (absent for objects not yet recorded). */
export type ImageRecordFields = Pick<
  ObjectInfo,
  | 'folder'
  | 'filename'
  | 'tags'
  | 'metadata'
  | 'source'
  | 'createdAt'
  | 'updatedAt'
  | 'originalSize'
  | 'profiles'
>;

/** `GET /objects/{key}` and `PATCH /objects/{key}`: an object and, when recorded, its image. */
export type ImageRecord = ObjectInfo;

/** An item of `GET /objects`. */
export type ImageListItem = ObjectListItem;

/** A page of `GET /objects`; pass its `cursor` back for the next one. */
export type ImageList = ObjectList;

/** `DELETE /objects?folder=` of a large folder (202): erased in the background. */
export type EraseStarted = ErasureStarted;
