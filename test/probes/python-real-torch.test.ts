import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import torchInstalled from '../../checks/torch.installed.js';
import torchVersion from '../../checks/torch.version.js';
import { FactStore } from '../../src/core/fact-store.js';
import { pythonProbe } from '../../src/probes/python.js';
import { judge } from '../checks/recorded-facts.js';

// Debian's python3-torch (1.13), which .ci/run installs: the probe must report what torch itself says.
const PYTHON = '/usr/bin/python3';

describe('the Python probe against a real PyTorch', () => {
  it('reports the torch version torch prints, and judges it below nnU-Net 2.x minimum', { timeout: 180_000 }, async () => {
    const printed = execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
    const python = await new FactStore({ probes: [pythonProbe], options: { probeTimeoutMs: 120_000, python: PYTHON } }).get('python');
    if (!python.ok) throw new Error(python.reason);
    expect(python.interpreter.executable).toBe(PYTHON);
    expect(python.torch.import).toMatchObject({ ok: true, version: printed });
    const [installed] = await judge(torchInstalled, { python });
    expect(installed!.status).toBe('pass');
    const [verdict] = await judge(torchVersion, { python });
    expect(verdict).toMatchObject({ status: 'fail', summary: `torch ${printed} is too old for nnU-Net v2 (needs >= 2.1.2)` });
  });
});
