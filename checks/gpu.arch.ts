import { defineCheck, fail, pass, skip, warn, type Finding } from '../src/core/index.js';
import { isPythonTruthyFlag } from '../src/env/nnunet-vars.js';
import { archSupported, smName } from '../src/gpu/arch.js';
import { torchImported } from '../src/python/report.js';

export default defineCheck({
  id: 'gpu.arch',
  title: "GPU architecture supported by torch's build",
  category: 'gpu',
  needs: ['gpu', 'python', 'env'],
  run({ gpu, python, env }) {
    const live = python.ok ? torchImported(python) : undefined;
    // torch's own view (CUDA order) first; nvidia-smi's compute_cap where torch saw no device.
    const devices = live?.devices.length
      ? live.devices.map((d) => ({ name: d.name, capability: d.capability }))
      : gpu.ok
        ? gpu.devices.filter((d) => d.vendor === 'nvidia' && d.computeCapability).map((d) => ({ name: d.name, capability: d.computeCapability! }))
        : [];
    if (devices.length === 0) return skip('no NVIDIA GPU with a known compute capability');
    const findings: Finding[] = [];
    const archList = live?.archList ?? [];
    if (live?.cuda && archList.length > 0) {
      const unsupported = devices.filter((d) => !archSupported(d.capability, archList));
      for (const d of unsupported) {
        findings.push(
          fail(`${d.name} (${smName(d.capability)}) is not in torch ${live.version}'s architecture list`, {
            why: `This torch has kernels for ${archList.join(', ')} only; CUDA fails with "no kernel image is available for execution on the device". RTX 50-series (sm_120) needs torch >= 2.7 built for CUDA 12.8 or newer.`,
            fix: 'pip install -U torch --index-url https://download.pytorch.org/whl/cu128',
            ref: 'nnUNet #2903',
            evidence: { capability: d.capability, archList },
          }),
        );
      }
    }
    const old = devices.filter((d) => Number(d.capability) < 7);
    if (old.length > 0) {
      const compileFlag = env.ok ? env.vars.nnUNet_compile : undefined;
      const compileOn = compileFlag === undefined || isPythonTruthyFlag(compileFlag);
      const names = [...new Set(old.map((d) => `${d.name} (compute capability ${d.capability})`))].join(', ');
      const evidence = { devices: old, nnUNet_compile: compileFlag ?? null };
      if (compileOn) {
        findings.push(
          warn(`${names}: torch.compile will refuse this GPU; set nnUNet_compile=f`, {
            why: `nnU-Net compiles the network for CUDA training ${compileFlag === undefined ? 'by default (nnUNet_compile unset means on)' : `because nnUNet_compile=${compileFlag}`}, and Triton only supports compute capability 7.0 and newer ("Found ... which is too old to be supported by the triton GPU compiler"). Pascal and older GPUs also lack fp16 tensor cores, so nnU-Net's always-on AMP gains nothing.`,
            fix: { default: 'export nnUNet_compile=f', win32: 'set nnUNet_compile=f' },
            ref: 'nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py (_do_i_compile); nnUNet #2188',
            evidence,
          }),
        );
      } else {
        findings.push(
          warn(`${names}: pre-Volta GPU, slow under nnU-Net's mixed precision`, {
            why: 'Without fp16 tensor cores, AMP training is about as slow as fp32; expect long epochs. Compile is already off.',
            ref: 'known-problems §4 (GPU compute capability < 7.0)',
            evidence,
          }),
        );
      }
    }
    if (findings.length > 0) return findings;
    const caps = [...new Set(devices.map((d) => smName(d.capability)))].join(', ');
    return pass(`${caps} ${live?.cuda ? `is in torch ${live.version}'s architecture list` : 'is supported by nnU-Net (compile and AMP)'}`, {
      evidence: { devices, archList },
    });
  },
});
