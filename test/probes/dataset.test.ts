import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeHealthyDataset } from '../../fixtures/dataset/generate.js';
import { FactStore } from '../../src/core/fact-store.js';
import type { Probe } from '../../src/core/probe.js';
import { datasetProbe } from '../../src/probes/dataset.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const cpu = (effectiveCpus: number) => ({ fact: 'cpu', probe: async () => ({ ok: true, effectiveCpus }) }) as unknown as Probe;

describe('dataset probe', () => {
  it('is a probe failure (checks skip) when no --dataset was given', async () => {
    const store = new FactStore({ probes: [datasetProbe as Probe, cpu(2)], options: { probeTimeoutMs: 5000 } });
    expect(await store.get('dataset')).toMatchObject({ ok: false, reason: expect.stringMatching(/no dataset named/) });
  });

  it('scans the named dataset with as many workers as the cpu fact allows', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'nnunet-doctor-probe-'));
    dirs.push(tmp);
    const root = path.join(tmp, 'Dataset005_Probe');
    await writeHealthyDataset(root, { cases: 3 });
    const store = new FactStore({ probes: [datasetProbe as Probe, cpu(1)], options: { probeTimeoutMs: 5000, dataset: root } });
    const fact = await store.get('dataset');
    expect(fact.ok && fact.scan.cases.map((c) => c.id)).toEqual(['case_000', 'case_001', 'case_002']);
    expect(fact.ok && fact.scan.stats.workers).toBe(1);
  });
});
