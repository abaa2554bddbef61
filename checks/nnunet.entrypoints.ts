import { defineCheck, fail, pass, skip, warn } from '../src/core/index.js';

export default defineCheck({
  id: 'nnunet.entrypoints',
  title: 'nnUNetv2_* commands on PATH use this Python',
  category: 'nnunet',
  needs: ['python', 'nnunetEntrypoints'],
  run({ python, nnunetEntrypoints: entry }) {
    if (!entry.ok) return skip(entry.reason);
    const expected = python.ok ? (python.nnunet?.consoleScripts ?? []) : [];
    const onPath = new Set(entry.commands.map((c) => c.name));
    const missing = expected.filter((name) => !onPath.has(name));
    const evidence = { commands: entry.commands.map((c) => c.path), train: entry.train, probed: entry.probedCommand, missing };
    if (entry.commands.length === 0 && expected.length === 0) return skip('nnunetv2 is not installed and no nnUNetv2_* command is on PATH');
    const train = entry.train;
    const other = entry.trainInterpreterReport;
    const probedPrefix = python.ok ? python.interpreter.prefix : undefined;
    if (train && other?.ok && other.interpreter.prefix !== probedPrefix) {
      const hasTorch = Boolean(other.packages.torch);
      const hasNnunet = Boolean(other.nnunet);
      const status = hasTorch && hasNnunet ? warn : fail;
      const lacks = [hasTorch ? '' : 'torch', hasNnunet ? '' : 'nnunetv2'].filter(Boolean).join(' and ');
      return status(`nnUNetv2_train runs under ${other.interpreter.executable}${lacks ? `, which has no ${lacks}` : ''}, not the Python checked here (${python.ok ? python.interpreter.executable : entry.probedCommand})`, {
        why:
          `${train.path} starts ${train.interpreter}. ` +
          (lacks
            ? `nnU-Net's commands will fail with "No module named '${lacks.split(' ')[0]}'" even though \`python -c "import torch"\` works in this shell (nnUNet #2576).`
            : "The doctor's other verdicts describe a different environment than the one nnU-Net runs in (e.g. commands from ~/.local/bin or another conda env, nnUNet #2501)."),
        fix: `either run the doctor for that interpreter (nnunet-doctor --python ${other.interpreter.executable}), or reinstall nnunetv2 in the environment you use and put its bin/ first on PATH (hash -r)`,
        evidence: { ...evidence, trainInterpreter: other.interpreter.executable, trainPrefix: other.interpreter.prefix, probedPrefix, trainTorch: other.packages.torch, trainNnunet: other.nnunet?.version ?? null },
      });
    }
    if (train && other && !other.ok) {
      return fail(`nnUNetv2_train names an interpreter that does not run: ${other.reason}`, {
        why: `${train.path} starts ${train.interpreter ?? '(unreadable first line)'}; the environment it was installed from was probably moved or deleted.`,
        fix: 'reinstall nnunetv2 in the environment you use: pip install --force-reinstall --no-deps nnunetv2',
        evidence,
      });
    }
    if (missing.length > 0) {
      return warn(`${missing.length} of nnunetv2's ${expected.length} commands are not on PATH (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''})`, {
        why: 'pip put them in the environment\'s bin (Scripts on Windows) folder, or in ~/.local/bin for --user installs, and that folder is not on PATH.',
        fix: { default: `export PATH="${python.ok ? dirOf(python.interpreter.executable) : '<env>/bin'}:$PATH"`, win32: 'add the environment\'s Scripts folder to PATH' },
        evidence,
      });
    }
    if (!python.ok || !python.nnunet) {
      return warn(`nnUNetv2_* commands are on PATH but nnunetv2 is not installed for the Python checked here`, {
        fix: train?.interpreter ? `nnunet-doctor --python ${train.interpreter}` : 'rerun with --python <interpreter of nnUNetv2_train>',
        evidence,
      });
    }
    return pass(`${entry.commands.length} nnUNetv2_* commands on PATH${train ? `; nnUNetv2_train runs ${train.interpreter ?? 'an unknown interpreter'}` : ''}`, { evidence });
  },
});

function dirOf(file: string): string {
  return file.replace(/[\\/][^\\/]+$/, '');
}
