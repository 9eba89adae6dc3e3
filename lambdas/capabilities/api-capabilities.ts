import type { ApiCapabilityName, CapabilityManifest } from './manifest';
import { objectsCapability } from './objects';
import { presignCapability } from './presign';
import { uploadCapability } from './upload';

/**
 * The functions API Gateway sends requests to, in the order the stack adds their methods (the
 * API deployment's id hashes that order). Imported by infra, local mode and tests, never by a
 * Lambda entry: each entry imports only its own manifest.
 */
export const API_CAPABILITIES: readonly CapabilityManifest<string, ApiCapabilityName>[] = [
  uploadCapability,
  presignCapability,
  objectsCapability,
];
