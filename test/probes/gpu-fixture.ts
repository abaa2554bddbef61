import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FactStore } from '../../src/core/fact-store.js';
import type { Facts } from '../../src/core/facts.js';
import { gpuProbe } from '../../src/probes/gpu.js';

const GPU_FIXTURES = fileURLToPath(new URL('../../fixtures/gpu/', import.meta.url));

/** Runs the real gpu probe with the fake nvidia-smi first on PATH, answering for one recorded machine. */
export async function probeGpuFixture(name: string, probeTimeoutMs = 5000): Promise<Facts['gpu']> {
  const env = { PATH: `${path.join(GPU_FIXTURES, 'bin')}${path.delimiter}${process.env.PATH}`, FAKE_NVIDIA_SMI: path.join(GPU_FIXTURES, name) };
  return new FactStore({ probes: [gpuProbe], options: { probeTimeoutMs }, env }).get('gpu');
}
