import { describe, expect, it } from 'vitest';
import { mergeReports } from '../../src/report/merge.js';
import { fixtureReports as files, loadFixtures as load, schemaValidator } from './helpers.js';

describe('merge over the fixture cluster', () => {
  it('finds exactly the fields that differ, grouped by value, and the nodes that fail what', async () => {
    const merged = mergeReports(await load(files));
    const differs = Object.fromEntries(merged.differences.map((g) => [g.label, g.values.map((v) => [v.value, v.nodes.join(',')])]));
    expect(differs).toEqual({
      '/dev/shm': [['251 GiB', 'node-0,node-1,node-2'], ['64.0 MiB', 'node-3']],
      GPU: [['4 x NVIDIA A100-SXM4-80GB', 'node-0,node-1,node-2'], ['2 x NVIDIA A100-SXM4-80GB', 'node-3']],
      'NVIDIA driver': [['570.124.06', 'node-0,node-1,node-3'], ['535.104.05', 'node-2']],
      'Driver CUDA': [['12.8', 'node-0,node-1,node-3'], ['12.2', 'node-2']],
      PyTorch: [['2.8.0+cu128', 'node-0,node-1,node-2'], ['2.9.0+cu128', 'node-3']],
      cuDNN: [['9.10.2', 'node-0,node-1,node-2'], ['9.13.0', 'node-3']],
      'nnU-Net': [['2.6.2', 'node-0,node-1,node-2'], ['2.5.1', 'node-3']],
    });
    expect(schemaValidator('merge')(JSON.parse(JSON.stringify(merged)))).toEqual([]);
    expect(merged.common.map((c) => c.label)).toEqual(expect.arrayContaining(['OS', 'CPU', 'RAM', 'VRAM per GPU', 'Python']));
    expect(merged.checks.map((c) => [c.id, c.statuses])).toEqual([
      ['gpu.driver', { 'node-0': 'pass', 'node-1': 'pass', 'node-2': 'fail', 'node-3': 'pass' }],
      ['system.shm', { 'node-0': 'pass', 'node-1': 'pass', 'node-2': 'pass', 'node-3': 'fail' }],
      ['torch.version', { 'node-0': 'pass', 'node-1': 'pass', 'node-2': 'pass', 'node-3': 'warn' }],
    ]);
  });

  it('redacts what the nodes reported (an IP in a finding)', async () => {
    const merged = mergeReports(await load(files));
    expect(JSON.stringify(merged)).not.toContain('10.12.0.43');
    expect(merged.checks.find((c) => c.id === 'system.shm')!.worstSummary).toContain('<ip>');
  });

  it('reports no differences between identical nodes', async () => {
    const merged = mergeReports(await load([files[0]!, files[1]!]));
    expect(merged.differences).toEqual([]);
    expect(merged.checks).toEqual([]);
  });
});

