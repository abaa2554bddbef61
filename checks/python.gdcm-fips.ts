import { defineCheck, fail, pass, skip } from '../src/core/index.js';

export default defineCheck({
  id: 'python.gdcm-fips',
  title: 'python-gdcm on a FIPS-mode system',
  category: 'python',
  needs: ['python'],
  run({ python }) {
    if (!python.ok) return skip(python.reason);
    const gdcm = python.packages['python-gdcm'] ?? null;
    const evidence = { fipsEnabled: python.fipsEnabled, pythonGdcm: gdcm, nnunetv2: python.nnunet?.version ?? null };
    if (python.fipsEnabled === null) return skip('no FIPS switch on this system (/proc/sys/crypto/fips_enabled is absent)');
    if (!python.fipsEnabled) return pass(`FIPS mode is off${gdcm ? `; python-gdcm ${gdcm} is harmless here` : ''}`, { evidence });
    if (!gdcm) return pass('FIPS mode is on and python-gdcm is not installed', { evidence });
    return fail(`python-gdcm ${gdcm} is installed on a FIPS-mode system: nnU-Net aborts at import`, {
      why: 'python-gdcm bundles an OpenSSL that fails the FIPS self test ("FATAL FIPS SELFTEST FAILURE") and kills the process. nnunetv2 pulled it in through dicom2nifti until 2.6.2 (nnUNet #2430, PR #2748).',
      fix: 'pip uninstall -y python-gdcm && pip install -U "nnunetv2>=2.6.2"',
      ref: 'nnUNet PR #2748',
      evidence,
    });
  },
});
