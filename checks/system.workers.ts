import { defineCheck, skip } from '../src/core/index.js';
import { cudaZero } from '../src/gpu/visible.js';
import { judgeWorkers } from '../src/workers/judge-workers.js';

export default defineCheck({
  id: 'system.workers',
  title: 'Data-augmentation workers (nnUNet_n_proc_DA)',
  category: 'system',
  needs: ['env', 'cpu', 'gpu', 'daWorkerDefault'],
  run({ env, cpu, gpu, daWorkerDefault }) {
    if (!env.ok) return skip(env.reason);
    if (!cpu.ok) return skip(cpu.reason);
    if (!daWorkerDefault.ok) return skip(daWorkerDefault.reason);
    const zero = gpu.ok ? cudaZero(gpu.devices, env.vars.CUDA_VISIBLE_DEVICES, env.vars.CUDA_DEVICE_ORDER) : undefined;
    return judgeWorkers({
      nProcDA: env.vars.nnUNet_n_proc_DA,
      defNProc: env.vars.nnUNet_def_n_proc,
      hostDefault: { workers: daWorkerDefault.workers, rule: daWorkerDefault.rule },
      logicalCpus: cpu.logicalCores,
      effectiveCpus: cpu.effectiveCpus,
      gpuCount: zero?.visibleCount ?? 0,
      gpuName: zero?.device?.name,
    });
  },
});
