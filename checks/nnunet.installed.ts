import { defineCheck, fail, pass, skip } from '../src/core/index.js';

export default defineCheck({
  id: 'nnunet.installed',
  title: 'nnU-Net v2 installed',
  category: 'nnunet',
  rank: 10,
  needs: ['python'],
  run({ python }) {
    if (!python.ok) return skip(python.reason);
    const nnunet = python.nnunet;
    const where = python.interpreter.executable;
    if (!nnunet) {
      return fail(`nnunetv2 is not installed for ${where}`, {
        why: 'This interpreter cannot run nnU-Net. If it is installed elsewhere, the doctor looked at the wrong Python.',
        fix: 'after installing PyTorch: pip install nnunetv2 (or pip install -e . in a clone); or rerun with --python <the interpreter that has it>',
        ref: 'documentation/installation_instructions.md',
        evidence: { executable: where },
      });
    }
    const kind = nnunet.editable ? `editable install from ${nnunet.editableUrl?.replace(/^file:\/\//, '') ?? nnunet.location}` : 'regular install';
    const evidence = { version: nnunet.version, editable: nnunet.editable, location: nnunet.location, editableUrl: nnunet.editableUrl };
    if (nnunet.import && !nnunet.import.ok) {
      return fail(`nnunetv2 ${nnunet.version} is installed but "import nnunetv2" fails: ${nnunet.import.errorType}: ${nnunet.import.message.split('\n')[0]}`, {
        why: `${kind}, at ${nnunet.location ?? 'an unknown location'}.`,
        fix: 'pip install --force-reinstall --no-deps nnunetv2, then check nnunet.requirements',
        evidence: { ...evidence, error: nnunet.import },
      });
    }
    return pass(`nnunetv2 ${nnunet.version} (${kind})`, { details: `imported from ${nnunet.location ?? '?'}`, evidence });
  },
});
