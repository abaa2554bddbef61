import { describe, expect, it } from 'vitest';
import nnunetRequirements from '../../checks/nnunet.requirements.js';
import torchBuild from '../../checks/torch.build.js';
import torchInstalled from '../../checks/torch.installed.js';
import torchVersion from '../../checks/torch.version.js';
import gpuDriver from '../../checks/gpu.driver.js';
import gpuArch from '../../checks/gpu.arch.js';
import type { Facts } from '../../src/core/facts.js';
import { envFact, gpuFact, nvidiaGpu } from '../checks/install-facts.js';
import { judge, statuses } from '../checks/recorded-facts.js';
import { NOSITE_PYTHON, probeStubs, storeWithStubs } from './python-fixture.js';

const NNUNET = ['nnunetv2-2.6.4', 'deps'];

function live(fact: Facts['python']) {
  if (!fact.ok) throw new Error(fact.reason);
  return fact;
}

const linux = { ok: true, platform: 'linux' } as unknown as Facts['os'];
const noNvcc = { ok: false, reason: 'no nvcc' } as Facts['nvcc'];

describe('the Python probe script, run for real against stub packages', () => {
  it('torch 2.9.0+cu128: reads the build and warns about the 3D-conv AMP regression; pip-check flags the exclusion', async () => {
    const python = live(await probeStubs(['torch-2.9.0-cu128', ...NNUNET]));
    expect(python.interpreter.executable).toBe('/usr/bin/python3');
    expect(python.command).toBe(NOSITE_PYTHON);
    expect(python.torch.import).toMatchObject({ ok: true, version: '2.9.0+cu128', cuda: '12.8', cudnn: 91002, cudaAvailable: true });
    expect(python.torch.versionFile).toEqual({ version: '2.9.0+cu128', cuda: '12.8', hip: null });
    expect(python.nnunet).toMatchObject({ version: '2.6.4', editable: false, consoleScripts: ['nnUNetv2_plan_and_preprocess', 'nnUNetv2_predict', 'nnUNetv2_train'], import: { ok: true } });
    const [version] = await judge(torchVersion, { python });
    expect(version).toMatchObject({ status: 'warn', summary: 'torch 2.9.0+cu128 has the 3D-convolution AMP slowdown (about 4x)' });
    const [reqs] = await judge(nnunetRequirements, { python });
    expect(reqs!.status).toBe('fail');
    expect(reqs!.summary).toBe("1 of nnunetv2's requirements is not met: torch!=2.9.*,>=2.1.2: 2.9.0+cu128 installed");
    // acvl-utils 0.2.5, numpy, blosc2 and tqdm satisfy theirs; the dev and intel-macos extras are not requested.
    expect(reqs!.evidence!.requirements).toEqual(['torch!=2.9.*,>=2.1.2', 'acvl-utils<0.3,>=0.2.3', 'numpy>=1.24', 'blosc2>=3.0.0b1', 'tqdm']);
  });

  it('torch 2.8.0+cu126: passes version and build, and its arch list covers an RTX 4090', async () => {
    const python = live(await probeStubs(['torch-2.8.0-cu126', ...NNUNET]));
    expect(statuses(await judge(torchVersion, { python }))).toEqual(['pass']);
    expect(statuses(await judge(torchBuild, { python, gpu: gpuFact() }))).toEqual(['pass']);
    expect(statuses(await judge(gpuArch, { python, gpu: gpuFact(), env: envFact() }))).toEqual(['pass']);
    expect(statuses(await judge(gpuDriver, { python, gpu: gpuFact({ driverVersion: '560.35.03' }), nvcc: noNvcc, os: linux }))).toEqual(['pass']);
  });

  it('CPU-only torch on a machine with an NVIDIA GPU fails with the exact reinstall command', async () => {
    const python = live(await probeStubs(['torch-2.8.0-cpu', ...NNUNET]));
    expect(python.torch.import).toMatchObject({ ok: true, version: '2.8.0+cpu', cuda: null, cudaAvailable: false });
    const [finding] = await judge(torchBuild, { python, gpu: gpuFact({ cudaDriverVersion: '12.6' }) });
    expect(finding).toMatchObject({ status: 'fail', summary: 'CPU-only torch 2.8.0+cpu on a machine with NVIDIA GeForce RTX 4090' });
    expect(finding!.fix).toBe('pip uninstall -y torch && pip install torch --index-url https://download.pytorch.org/whl/cu126');
  });

  it('a too-old torch (2.0.1) fails torch.version', async () => {
    const python = live(await probeStubs(['torch-2.0.1-cu117', ...NNUNET]));
    const [finding] = await judge(torchVersion, { python });
    expect(finding).toMatchObject({ status: 'fail', summary: "torch 2.0.1+cu117 is older than nnU-Net's minimum 2.1.2" });
  });

  it('no torch at all: torch.installed fails, the version check skips', async () => {
    const python = live(await probeStubs(NNUNET));
    expect(python.torch).toEqual({ location: null, versionFile: null, import: expect.objectContaining({ ok: false, errorType: 'ModuleNotFoundError' }) });
    expect((await judge(torchInstalled, { python }))[0]).toMatchObject({ status: 'fail', summary: 'torch is not installed for /usr/bin/python3' });
    expect(statuses(await judge(torchVersion, { python }))).toEqual(['skip']);
  });

  it('torch whose import raises: the error type and message are reported, and the version still comes from its files', async () => {
    const python = live(await probeStubs(['torch-import-raises', ...NNUNET]));
    expect(python.torch.import).toEqual({ ok: false, errorType: 'OSError', message: 'libcudnn.so.9: cannot open shared object file: No such file or directory' });
    const [finding] = await judge(torchInstalled, { python });
    expect(finding).toMatchObject({ status: 'fail', summary: 'torch is installed but "import torch" fails: OSError: libcudnn.so.9: cannot open shared object file: No such file or directory' });
    expect(statuses(await judge(torchVersion, { python }))).toEqual(['pass']);
  });

  it.runIf(process.platform !== 'win32')('torch that segfaults on import: the crash is a finding about torch, and the metadata half still reports the install', async () => {
    const python = live(await probeStubs(['torch-import-segfaults', ...NNUNET]));
    expect(python.torch.import).toMatchObject({ ok: false, errorType: 'SIGSEGV' });
    expect(python.packages.torch).toBe('2.8.0+cu128');
    expect(python.nnunet).toMatchObject({ version: '2.6.4' });
    const [finding] = await judge(torchInstalled, { python });
    expect(finding).toMatchObject({ status: 'fail', summary: 'torch is installed but "import torch" fails: SIGSEGV: the interpreter was killed by SIGSEGV while importing torch' });
  });

  it('torch whose import hangs: the deadline stops it, and the rest of the Python report arrives', async () => {
    const started = performance.now();
    const python = live(await storeWithStubs(['torch-import-hangs', ...NNUNET], { probeTimeoutMs: 3000 }).get('python'));
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(python.torch.import).toMatchObject({ ok: false, errorType: 'Timeout', message: expect.stringMatching(/within 3 s \(importing torch hung\?\)/) });
    expect(python.interpreter.versionInfo[0]).toBe(3);
    expect(statuses(await judge(torchInstalled, { python }))).toEqual(['fail']);
  });

  it("a driver too old for torch's CUDA: torch's warning reaches torch.build and gpu.driver", async () => {
    const python = live(await probeStubs(['torch-2.8.0-cu128-old-driver', ...NNUNET]));
    const gpu = gpuFact({ driverVersion: '470.256.02', cudaDriverVersion: '11.4', devices: [nvidiaGpu({ name: 'NVIDIA GeForce RTX 3090', computeCapability: '8.6' })] });
    const [build] = await judge(torchBuild, { python, gpu });
    expect(build).toMatchObject({ status: 'fail', summary: 'torch 2.8.0+cu128 is built for CUDA 12.8 but cannot use the GPU' });
    expect(build!.details).toMatch(/driver on your system is too old \(found version 11040\)/);
    const [driver] = await judge(gpuDriver, { python, gpu, nvcc: noNvcc, os: linux });
    expect(driver).toMatchObject({ status: 'fail', summary: "driver 470.256.02 is too old for torch's CUDA 12.8 (needs 525.60.13 or later)" });
  });
});
