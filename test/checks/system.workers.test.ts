import { describe, expect, it } from 'vitest';
import check from '../../checks/system.workers.js';
import type { Facts } from '../../src/core/facts.js';
import { envFact, gpuFact, noGpu, nvidiaGpu } from './install-facts.js';
import { judge, statuses } from './recorded-facts.js';

const cpu = (logicalCores: number, effectiveCpus = logicalCores) => ({ ok: true, model: 'x', logicalCores, physicalCores: null, affinityCpus: effectiveCpus, cgroupQuotaCpus: null, cgroupVersion: null, effectiveCpus, flags: [] }) as Facts['cpu'];
const hostDefault: Facts['daWorkerDefault'] = { ok: true, workers: 12, rule: 'no host rule matched: the default' };
const facts = (vars: Record<string, string>, cpuFact: Facts['cpu'], gpu: Facts['gpu'] = gpuFact()) => ({ env: envFact(vars), cpu: cpuFact, gpu, daWorkerDefault: hostDefault });

describe('system.workers', () => {
  it("shows nnU-Net's default on a 32-thread RTX 4090 box and suggests the docs' 16-18", async () => {
    const [finding] = await judge(check, facts({}, cpu(32)));
    expect(finding).toMatchObject({ status: 'info', summary: "12 augmentation workers per training (nnU-Net's default 12 (no host rule matched: the default)); RTX 4090-class usually wants 16-18" });
    expect(finding!.fix).toBe('export nnUNet_n_proc_DA=18');
  });

  it('passes a value in the documented range', async () => {
    expect(statuses(await judge(check, facts({ nnUNet_n_proc_DA: '16' }, cpu(32))))).toEqual(['pass']);
  });

  it.each(['twelve', '12.0', '', ' 0x10'])('fails nnUNet_n_proc_DA=%j: every command crashes at import', async (value) => {
    const [finding] = await judge(check, facts({ nnUNet_n_proc_DA: value }, cpu(32)));
    expect(finding!.status).toBe('fail');
    expect(finding!.summary).toMatch(/is not an integer: every nnUNetv2_\* command crashes at import/);
  });

  it("accepts what Python's int() accepts (spaces, underscores, a sign)", async () => {
    expect(statuses(await judge(check, facts({ nnUNet_n_proc_DA: ' +1_6 ' }, cpu(32))))).toEqual(['pass']);
  });

  it('applies the same rule to nnUNet_def_n_proc', async () => {
    expect((await judge(check, facts({ nnUNet_def_n_proc: '8 cores' }, cpu(32))))[0]!.summary).toMatch(/^nnUNet_def_n_proc="8 cores" is not an integer/);
    expect(statuses(await judge(check, facts({ nnUNet_def_n_proc: '-2' }, cpu(32))))).toEqual(['fail']);
  });

  it('warns when the workers exceed the CPUs a container quota allows (nnU-Net only caps at cpu_count)', async () => {
    const [finding] = await judge(check, facts({ nnUNet_n_proc_DA: '16' }, cpu(64, 4)));
    expect(finding).toMatchObject({ status: 'warn', summary: '16 augmentation workers per training (nnUNet_n_proc_DA=16), but only 4 CPUs are usable', fix: 'export nnUNet_n_proc_DA=4' });
  });

  it('shows the cap at os.cpu_count() on a small machine', async () => {
    const [finding] = await judge(check, facts({}, cpu(2), noGpu()));
    expect(finding!.summary).toBe("2 augmentation workers per training (nnU-Net's default 12 (no host rule matched: the default), capped to os.cpu_count()=2)");
  });

  it('notes that per-GPU workers add up on an 8-GPU server', async () => {
    const gpus = gpuFact({ devices: Array.from({ length: 8 }, (_, index) => nvidiaGpu({ index, name: 'NVIDIA A100-SXM4-80GB' })) });
    const [finding] = await judge(check, facts({ nnUNet_n_proc_DA: '28' }, cpu(128), gpus));
    expect(finding).toMatchObject({ status: 'info', fix: 'for one training per GPU: export nnUNet_n_proc_DA=16' });
    expect(finding!.summary).toMatch(/8 parallel trainings \(one per GPU\) would need 224 CPUs, 128 are usable/);
  });

  it('warns about 0, the debugging setting', async () => {
    expect((await judge(check, facts({ nnUNet_n_proc_DA: '0' }, cpu(16))))[0]).toMatchObject({ status: 'warn', summary: 'nnUNet_n_proc_DA=0: augmentation runs in the main process' });
  });
});
