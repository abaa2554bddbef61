import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FactStore } from '../../src/core/fact-store.js';
import type { Facts } from '../../src/core/facts.js';
import type { DoctorOptions } from '../../src/core/probe.js';
import { entrypointsProbe, pythonProbe } from '../../src/probes/python.js';

export const PYTHON_FIXTURES = fileURLToPath(new URL('../../fixtures/python/', import.meta.url));
/** /usr/bin/python3 without site-packages: the stub packages alone decide what is installed. */
export const NOSITE_PYTHON = path.join(PYTHON_FIXTURES, 'bin', 'python3-nosite');

/**
 * Runs the REAL probe script under a real interpreter with the given fixture folders (fixtures/python/<name>)
 * on PYTHONPATH, through the real python probe.
 */
export function storeWithStubs(stubs: readonly string[], options: Partial<DoctorOptions> = {}, env: NodeJS.ProcessEnv = {}): FactStore {
  const pythonPath = ['_lib', ...stubs].map((s) => path.join(PYTHON_FIXTURES, s)).join(path.delimiter);
  return new FactStore({
    probes: [pythonProbe, entrypointsProbe],
    options: { probeTimeoutMs: 60_000, python: NOSITE_PYTHON, ...options },
    env: { PATH: process.env.PATH, PYTHONPATH: pythonPath, ...env },
  });
}

export function probeStubs(stubs: readonly string[]): Promise<Facts['python']> {
  return storeWithStubs(stubs).get('python');
}
