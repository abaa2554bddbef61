import type { ReportDocument } from '../../src/report/document.js';
import type { MachineIdentity } from '../../src/report/identity.js';

/** A small seeded PRNG (mulberry32): every generated machine can be regenerated from its seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)]!;
  const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[int(0, alphabet.length - 1)]).join('');
  return { next, int, pick, chars };
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${LOWER}ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789`;
const HEX = '0123456789abcdef';

/** A machine full of things that must not leak, and the facts a real run would hold about it. */
export interface SeededMachine {
  identity: MachineIdentity;
  doc: ReportDocument;
  /** Strings that may not appear in any redacted output. */
  secrets: string[];
  /** Strings that may not appear once --redact-cases is on. */
  caseSecrets: string[];
  /** Strings that must still be there: versions, statuses, check ids. */
  kept: string[];
}

export function seededMachine(seed: number): SeededMachine {
  const r = rng(seed);
  const user = `${r.chars(LOWER, 1)}${r.chars(LOWER + '0123456789', r.int(5, 9))}`;
  const otherUser = `${r.chars(LOWER, 1)}${r.chars(LOWER, 7)}`;
  const style = r.pick(['linux', 'mac', 'windows'] as const);
  const home = style === 'linux' ? `/home/${user}` : style === 'mac' ? `/Users/${user}` : `C:\\Users\\${user}`;
  const sep = style === 'windows' ? '\\' : '/';
  const join = (...parts: string[]) => [home, ...parts].join(sep);
  const shortHost = `${r.pick(['gpu', 'node', 'ws', 'dgx'])}-${r.chars(LOWER, 6)}${r.int(10, 99)}`;
  const host = `${shortHost}.${r.chars(LOWER, 5)}.example.org`;
  const otherHost = `${r.chars(LOWER, 8)}-${r.int(100, 999)}`;
  const ipv4 = `${r.int(11, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  const ipv6 = Array.from({ length: 8 }, () => r.chars(HEX, 4)).join(':');
  const ipv6Short = `fe80::${r.chars(HEX, 4)}:${r.chars(HEX, 4)}`;
  const mac = Array.from({ length: 6 }, () => r.chars(HEX, 2)).join(':');
  const uuidBody = `${r.chars(HEX, 8)}-${r.chars(HEX, 4)}-${r.chars(HEX, 4)}-${r.chars(HEX, 4)}-${r.chars(HEX, 12)}`;
  // CUDA_VISIBLE_DEVICES may name a GPU by a unique UUID prefix.
  const gpuPrefix = `GPU-${r.chars(HEX, 8)}`;
  const serial = String(r.int(1_000_000_000, 9_999_999_999)) + String(r.int(100, 999));
  const tokenNames = ['HF_TOKEN', 'WANDB_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'GITLAB_AUTH', 'SESSION_COOKIE', 'GCP_CREDENTIALS'];
  const tokens = Object.fromEntries(tokenNames.map((n) => [n, r.chars(ALNUM, r.int(16, 40))]));
  const urlUser = `u${r.chars(LOWER, 7)}`;
  const urlPassword = r.chars(ALNUM, 14);
  const headerText = `Patient^${r.chars(LOWER, 8)}`;
  const datasetBare = `${r.pick(['Liver', 'Brain', 'Prostate'])}${r.chars(LOWER, 6)}`;
  const datasetFolder = `Dataset${String(r.int(100, 999))}_${datasetBare}`;
  const cases = Array.from({ length: r.int(3, 6) }, () => `${r.pick(['pat', 'subj', 'mrn'])}${r.chars(LOWER, 4)}_${r.int(1000, 9999)}`);

  const env: NodeJS.ProcessEnv = { ...tokens, HOME: home, USER: user, HOSTNAME: host, nnUNet_raw: join('nnUNet_raw'), PATH: `${join('bin')}:/usr/bin` };
  const identity: MachineIdentity = { userNames: [user], homeDirs: [home], hostNames: [host], env };
  const torch = '2.8.0+cu128';
  const driver = `570.${r.int(100, 199)}.${r.int(10, 99)}`;
  const logPath = join('nnUNet_results', datasetFolder, 'nnUNetTrainer__nnUNetPlans__3d_fullres', 'fold_0', 'training_log_2024_1_1_12_00_00.txt');

  const facts = {
    os: { ok: true, platform: 'linux', release: '6.8.0-45-generic', arch: 'x64', distro: 'Ubuntu 24.04.1 LTS', wsl: null, container: 'none', containerSignals: [], colab: false },
    env: { ok: true, vars: { nnUNet_raw: join('nnUNet_raw'), nnUNet_results: join('nnUNet_results'), HF_TOKEN: tokens.HF_TOKEN, CUDA_VISIBLE_DEVICES: gpuPrefix }, present: ['LD_LIBRARY_PATH'] },
    gpu: {
      ok: true,
      source: 'nvidia-smi',
      devices: [{ index: 0, vendor: 'nvidia', name: 'NVIDIA A100-SXM4-80GB', memoryTotalBytes: 85899345920, computeCapability: '8.0', uuid: `GPU-${uuidBody}`, serial }],
      processes: [],
      driverVersion: driver,
      cudaDriverVersion: '12.8',
      nvidiaSmi: { state: 'ok', path: '/usr/bin/nvidia-smi' },
      raw: `GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-${uuidBody})\nSerial Number : ${serial}`,
    },
    python: {
      ok: true,
      interpreter: { executable: join('miniconda3', 'envs', 'nnunet', 'bin', 'python'), version: '3.11.9' },
      packages: { torch, numpy: '2.1.3', nnunetv2: '2.6.2', SimpleITK: '2.4.0' },
      torch: { location: join('miniconda3', 'lib', 'torch'), versionFile: { version: torch, cuda: '12.8' }, import: { ok: true, version: torch, cuda: '12.8', cudnn: 90100, devices: [] } },
      nnunet: { version: '2.6.2', editable: false, location: join('src', 'nnUNet') },
      stderrTail: `warning: pip index https://${urlUser}:${urlPassword}@pypi.internal/simple`,
    },
    network: { ok: true, interfaces: [{ name: 'eth0', address: ipv4, mac }, { name: 'ib0', address: ipv6 }], hostname: otherHost },
    datasetScan: { ok: true, summary: { cases: cases.length, channels: 1 }, cases: Object.fromEntries(cases.map((c) => [c, { shape: [512, 512, 120], header: { descrip: headerText } }])) },
    trainingLog: {
      ok: true,
      path: logPath,
      run: { dataset: datasetFolder, configuration: '3d_fullres', fold: '0' },
      explanation: { training: { epochs: [0, 1, 2, 3, 4].map((e) => ({ epoch: e, trainLoss: -0.1 * e, epochTimeS: 100 + r.int(0, 30) })) } },
    },
    ticketSources: {
      ok: true,
      dataset: {
        ok: true,
        dir: join('nnUNet_raw', datasetFolder),
        name: datasetFolder,
        datasetJson: { ok: true, content: { name: datasetBare, channel_names: { 0: 'CT' }, labels: { background: 0, liver: 1 }, numTraining: cases.length, file_ending: '.nii.gz' } },
        caseIds: cases,
        fileCounts: { imagesTr: cases.length, labelsTr: cases.length, imagesTs: 0 },
      },
      results: {
        ok: true,
        dir: join('nnUNet_results'),
        trainingLog: {
          path: logPath,
          modifiedAt: '2024-01-01T12:00:00.000Z',
          tail: [
            `2024-01-01 12:00:00.000000: Epoch time: 101.5 s`,
            `2024-01-01 12:00:01.000000: loading ${cases[0]} from ${join('nnUNet_raw', datasetFolder, 'imagesTr', `${cases[0]}_0000.nii.gz`)}`,
            `export HF_TOKEN=${tokens.HF_TOKEN}`,
            `connected to ${host} (${ipv4}, ${ipv6Short}) as ${user}`,
            `wandb: logging with key ${tokens.WANDB_API_KEY}`,
            `2024-01-01 12:02:00.000000: Epoch time: 99.0 s`,
          ],
        },
        debugJson: { path: logPath.replace(/training_log.*$/, 'debug.json'), content: { hostname: otherHost, torch_version: torch, output_folder: `/home/${otherUser}/runs/${datasetFolder}`, dataset_name: datasetFolder } },
        plans: { path: 'plans.json', plansName: 'nnUNetPlans', configurationName: '3d_fullres', configuration: { batch_size: 2, patch_size: [128, 128, 128] } },
      },
    },
  };

  const results = [
    {
      id: 'env.paths',
      title: 'nnU-Net folders',
      category: 'env',
      durationMs: 1,
      status: 'fail' as const,
      findings: [{ status: 'fail' as const, summary: `nnUNet_results ${join('nnUNet_results')} is on NFS from ${ipv4}`, fix: `mkdir -p ${join('fast')}`, evidence: { host, mac } }],
    },
    { id: 'gpu.vram', title: 'GPU memory', category: 'gpu', durationMs: 1, status: 'pass' as const, findings: [{ status: 'pass' as const, summary: `80 GiB on GPU-${uuidBody}` }] },
    { id: 'torch.version', title: 'PyTorch version', category: 'torch', durationMs: 1, status: 'warn' as const, findings: [{ status: 'warn' as const, summary: `torch ${torch} under ${join('miniconda3')}`, fix: 'pip install torch==2.8.0' }] },
  ];

  const doc: ReportDocument = {
    schema: 'nnunet-doctor/report@1',
    tool: { name: 'nnunet-doctor', version: '0.1.0' },
    createdAt: '2024-01-01T12:00:00.000Z',
    command: 'report',
    platform: { os: 'linux', release: '6.8.0-45-generic', arch: 'x64', node: 'v20.19.0' },
    summary: { counts: { pass: 1, info: 0, skip: 0, warn: 1, timeout: 0, error: 0, fail: 1 }, failOn: 'fail', exitCode: 1, durationMs: 10 },
    results,
    facts: facts as unknown as ReportDocument['facts'],
    probeDurationsMs: { gpu: 5 },
  };
  return {
    identity,
    doc,
    secrets: [user, home, host, shortHost, otherHost, otherUser, ipv4, ipv6, ipv6Short, mac, uuidBody, gpuPrefix, serial, urlUser, urlPassword, headerText, ...Object.values(tokens)],
    caseSecrets: [...cases, datasetBare],
    kept: [torch, driver, '3.11.9', '2.6.2', 'NVIDIA A100-SXM4-80GB', 'env.paths', 'gpu.vram', 'torch.version', 'fail', 'warn', 'pass'],
  };
}

/** Adds a measured benchmark and a sanity run in the shapes src/engine writes, so every chart has data. */
export function withMeasurements(doc: ReportDocument): ReportDocument {
  const facts = doc.facts as Record<string, unknown>;
  facts.bench = {
    ok: true,
    outcome: {
      status: 'measured',
      epoch: { secondsPerIteration: 0.31, secondsPerEpoch: 92.4, hoursFor1000Epochs: 25.7 },
      reference: {
        what: 'nnU-Net v1 Task003_Liver 3d_fullres (128^3, batch 2)',
        references: [
          { label: 'A100 40GB PCIe', secondsPerEpoch: 41.49, source: 'v1 docs' },
          { label: 'V100 32GB PCIe', secondsPerEpoch: 76.79, source: 'v1 docs' },
          { label: 'RTX 2080 Ti', secondsPerEpoch: 94.16, source: 'v1 docs' },
        ],
      },
    },
    providers: [],
    nvidiaGpus: ['NVIDIA A100-SXM4-80GB'],
  };
  facts.sanity = {
    ok: true,
    verdict: 'learning',
    steps: Array.from({ length: 16 }, (_, i) => ({ step: i + 1, loss: 1.2 * Math.exp(-i / 6) + 0.1, gradNorm: 1, durationMs: 400 })),
  };
  return doc;
}
