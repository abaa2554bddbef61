import { defineCheck, fail, pass, skip, warn, type Finding } from '../src/core/index.js';
import { cudaZero } from '../src/gpu/visible.js';
import { fmtBytes, GiB } from '../src/util/format.js';

const DOC = 'documentation/installation_instructions.md (GPU: 10 GB for training, 4 GB free for inference)';
// nnU-Net's "10 GB" cards report 10240 MiB or a little less; leave room for that.
const TRAIN_MIN_BYTES = 9.5 * GiB;
const TRAIN_HARD_MIN_BYTES = 6.5 * GiB;
const INFERENCE_FREE_BYTES = 4 * GiB;
const OTHERS_NOTABLE_BYTES = 1 * GiB;

/** Memory targets of nnU-Net's plans (documentation/resenc_presets.md), in the decimal GB of card labels. */
const GB = 1e9;
const PRESETS = [
  { name: 'default / ResEnc M', bytes: 8 * GB },
  { name: 'ResEnc L', bytes: 24 * GB },
  { name: 'ResEnc XL', bytes: 40 * GB },
];

export default defineCheck({
  id: 'gpu.vram',
  title: 'GPU memory for training and inference',
  category: 'gpu',
  needs: ['gpu', 'env'],
  run({ gpu, env }) {
    if (!gpu.ok) return skip(gpu.reason);
    const vars = env.ok ? env.vars : {};
    const zero = cudaZero(gpu.devices, vars.CUDA_VISIBLE_DEVICES, vars.CUDA_DEVICE_ORDER);
    if (gpu.devices.every((d) => d.vendor !== 'nvidia')) return skip('no NVIDIA GPU to judge');
    if (zero.visibleCount === 0) {
      return fail(zero.note, { why: 'nnU-Net trains on cuda:0; with no visible GPU torch reports CUDA as unavailable.', fix: 'export CUDA_VISIBLE_DEVICES=0 (or unset it)', evidence: { CUDA_VISIBLE_DEVICES: vars.CUDA_VISIBLE_DEVICES } });
    }
    const device = zero.device;
    if (!device?.memoryTotalBytes) return skip(`${zero.note}; its memory size is unknown`);
    const total = device.memoryTotalBytes;
    const free = device.memoryFreeBytes ?? total - (device.memoryUsedBytes ?? 0);
    const others = gpu.processes.filter((p) => p.gpuIndex === device.index);
    const othersBytes = others.reduce((sum, p) => sum + (p.usedBytes ?? 0), 0);
    const fits = PRESETS.filter((p) => p.bytes <= total).map((p) => p.name);
    const evidence = {
      cuda0: `GPU ${device.index}: ${device.name}`,
      totalBytes: total,
      freeBytes: free,
      usedByOtherProcessesBytes: othersBytes,
      otherProcesses: others.map((p) => `${p.name} (pid ${p.pid}${p.usedBytes ? `, ${fmtBytes(p.usedBytes)}` : ''})`),
      displayActive: device.displayActive ?? null,
      plansThatFit: fits,
    };
    const context =
      `${zero.note}${zero.certain ? '' : ' (the mapping is uncertain)'}. ` +
      `Plans that fit ${fmtBytes(total)}: ${fits.join(', ') || 'none'} (targets: default and ResEnc M 8 GB, L 24 GB, XL 40 GB).` +
      (device.displayActive ? ' This GPU drives a display: the desktop takes VRAM and time.' : '');
    const name = `${device.name} (cuda:0)`;
    const findings: Finding[] = [];
    if (total < TRAIN_HARD_MIN_BYTES) {
      findings.push(
        fail(`${name} has ${fmtBytes(total)}: too little to train nnU-Net (10 GB needed)${free >= INFERENCE_FREE_BYTES ? '; enough for inference' : ''}`, {
          why: `nnU-Net's default plans target about 8 GB of VRAM; training runs out of memory ("CUDA out of memory"). ${context}`,
          fix: 'train on a GPU with 10 GB or more; this card can still run nnUNetv2_predict',
          ref: DOC,
          evidence,
        }),
      );
    } else if (total < TRAIN_MIN_BYTES) {
      findings.push(
        warn(`${name} has ${fmtBytes(total)}; nnU-Net asks for at least 10 GB to train`, {
          why: `The default plans target about 8 GB, which leaves little room for the desktop, cuDNN workspaces and fragmentation. ${context}`,
          fix: 'close other GPU programs; plan with a smaller target: nnUNetv2_plan_experiment -d ID -gpu_memory_target 6 -overwrite_plans_name nnUNetPlans_6G',
          ref: DOC,
          evidence,
        }),
      );
    }
    if (free < INFERENCE_FREE_BYTES || othersBytes >= OTHERS_NOTABLE_BYTES) {
      const who = others.length > 0 ? `${others.length} other process${others.length === 1 ? '' : 'es'} (${evidence.otherProcesses.join(', ')})` : 'other programs';
      const status = free < INFERENCE_FREE_BYTES ? fail : warn;
      findings.push(
        status(`only ${fmtBytes(free)} of ${fmtBytes(total)} free on ${name}; ${fmtBytes(total - free)} used by ${who}`, {
          why: `Training needs the card's memory for itself and inference wants 4 GB free; nnU-Net does not pick another GPU by itself. ${context}`,
          fix: 'stop the other processes, or choose a free GPU: export CUDA_VISIBLE_DEVICES=<index of a free GPU in nvidia-smi>',
          ref: DOC,
          evidence,
        }),
      );
    }
    if (findings.length > 0) return findings;
    const multi = zero.visibleCount > 1 ? `; ${zero.visibleCount} GPUs visible, nnU-Net uses one per training unless -num_gpus is given` : '';
    return pass(`${name}: ${fmtBytes(total)}, ${fmtBytes(free)} free${multi}`, { details: context, evidence });
  },
});
