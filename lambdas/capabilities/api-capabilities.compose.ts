import { composeObjects } from './objects.compose';
import type { ApiCapabilityName, ApiComposition } from './manifest';
import type { ObjectsPlatform, PresignPlatform, UploadPlatform } from './platform';
import { composePresign } from './presign.compose';
import { composeUpload } from './upload.compose';

/**
 * How each API function builds its handler, by name: local mode answers each manifest of
 * `API_CAPABILITIES` with its composition. Never imported by the stack or a Lambda entry.
 */
export const API_COMPOSITIONS: Readonly<
  Record<ApiCapabilityName, ApiComposition<UploadPlatform & PresignPlatform & ObjectsPlatform>>
> = { upload: composeUpload, presign: composePresign, objects: composeObjects };
