import { QUARANTINE_PREFIX } from '../core/object-namespace';
import type { CapabilityManifest } from './manifest';

/**
 * The function that signs: pure computation (SigV4 with the role's credentials), no S3 call. A
 * presigned URL carries only the signer's rights, so the role holds exactly what its URLs may do.
 */
export const presignCapability: CapabilityManifest<'presign', 'presign'> = {
  name: 'presign',
  description: 'POST /presign: signs direct uploads into quarantine and short-lived private reads',
  routes: [
    {
      method: 'POST',
      resource: '/presign',
      metricRoute: 'presign',
      action: 'presign',
      jsonBodyModel: 'PresignRequest',
    },
  ],
  // Each presigned upload may become a 1 GiB+ check run: counted per client and window, a
  // ceiling that holds whatever the usage plans say.
  grants: [
    { to: 'presignQuota' },
    { to: 'objects', actions: ['s3:PutObject'], keyPrefix: QUARANTINE_PREFIX },
    { to: 'objects', actions: ['s3:GetObject'] },
  ],
  settings: ['common', 'cors', 'fit', 'presign', 'maxDirectUploadBytes'],
};
