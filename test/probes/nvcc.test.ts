import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FactStore } from '../../src/core/fact-store.js';
import { nvccProbe, parseNvccVersion } from '../../src/probes/nvcc.js';

const TOOLKIT = fileURLToPath(new URL('../../fixtures/gpu/toolkit/', import.meta.url));
const probe = (env: NodeJS.ProcessEnv) => new FactStore({ probes: [nvccProbe], options: { probeTimeoutMs: 5000 }, env }).get('nvcc');

describe('nvcc probe', () => {
  it('reads the toolkit version from nvcc on PATH', async () => {
    expect(await probe({ PATH: path.join(TOOLKIT, 'bin') })).toEqual({ ok: true, path: path.join(TOOLKIT, 'bin', 'nvcc'), version: '12.4' });
  });

  it('finds nvcc under CUDA_HOME when PATH lacks it', async () => {
    expect(await probe({ PATH: '/nonexistent', CUDA_HOME: TOOLKIT })).toMatchObject({ ok: true, version: '12.4' });
  });

  it('parses the release number only', () => {
    expect(parseNvccVersion('Cuda compilation tools, release 13.0, V13.0.88')).toBe('13.0');
    expect(parseNvccVersion('garbage')).toBeUndefined();
  });
});
