import { defineCheck, fail, pass, skip } from '../src/core/index.js';
import { unmetRequirements } from '../src/python/requirements.js';

export default defineCheck({
  id: 'nnunet.requirements',
  title: "nnU-Net's declared dependencies satisfied (like pip check)",
  category: 'nnunet',
  needs: ['python'],
  run({ python }) {
    if (!python.ok) return skip(python.reason);
    if (!python.nnunet) return skip('nnunetv2 is not installed');
    const { checked, problems } = unmetRequirements(python.nnunet.requires, python.installed, python.interpreter.markers);
    const evidence = { nnunetv2: python.nnunet.version, requirements: checked.map((r) => r.line), problems: problems.map((p) => ({ requirement: p.requirement.line, installed: p.installed })) };
    if (problems.length === 0) return pass(`all ${checked.length} requirements of nnunetv2 ${python.nnunet.version} are met`, { evidence });
    const lines = problems.map((p) => `${p.requirement.name}${p.requirement.specifier}: ${p.installed === null ? 'missing' : `${p.installed} installed`}`);
    const quoted = problems.map((p) => `"${p.requirement.name}${p.requirement.specifier}"`).join(' ');
    return fail(`${problems.length} of nnunetv2's requirements ${problems.length === 1 ? 'is' : 'are'} not met: ${lines.join('; ')}`, {
      why: 'Dependency drift is one of the most common causes of nnU-Net import errors (e.g. an incompatible acvl-utils, a missing blosc2, numpy < 1.24). torch is best fixed from the pytorch.org index, not PyPI.',
      fix: `pip install ${quoted}`,
      ref: 'nnunetv2 pyproject.toml [project.dependencies]',
      evidence,
    });
  },
});
