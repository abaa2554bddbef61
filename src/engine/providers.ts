/**
 * Which onnxruntime execution providers can really create a session here. The probe runs in a child
 * process: a provider that fails to load prints native lines on stderr (Vulkan, CUDA library paths) that
 * ort.env.logLevel does not always silence, and a broken driver can crash the process.
 */
import { createRequire } from 'node:module';
import { runCommand } from '../core/exec.js';
import { GraphBuilder } from './graph.js';
import type { ProviderName } from './provider-names.js';

export interface ProviderStatus {
  provider: ProviderName;
  /** Shipped with onnxruntime-node (CUDA and TensorRT are a separate download on Linux). */
  bundled: boolean;
  loads: boolean;
  reason?: string;
}

export interface ProviderProbe {
  ok: boolean;
  statuses: ProviderStatus[];
  reason?: string;
}

/** One Conv3d: enough to make a provider load its libraries and compile a kernel. */
function probeModel(): string {
  const g = new GraphBuilder('probe');
  const x = g.input('x', 'float32', [1, 1, 4, 4, 4]);
  const w = g.initializer('w', new Float32Array(27).fill(1 / 27), [1, 1, 3, 3, 3]);
  g.output(g.conv(x, w, undefined, { kernel: [3, 3, 3], pads: [1, 1, 1, 1, 1, 1] }), { as: 'y' });
  return Buffer.from(g.toBytes()).toString('base64');
}

const CHILD = `
const ort = require(process.env.NNUNET_DOCTOR_ORT);
ort.env.logLevel = 'fatal';
let text = '';
process.stdin.on('data', (d) => (text += d));
process.stdin.on('end', async () => {
  const { model, providers } = JSON.parse(text);
  const bytes = Buffer.from(model, 'base64');
  const backends = ort.listSupportedBackends();
  const results = [];
  for (const provider of providers) {
    try {
      const s = await ort.InferenceSession.create(bytes, { executionProviders: [provider] });
      await s.run({ x: new ort.Tensor('float32', new Float32Array(64).fill(1), [1, 1, 4, 4, 4]) });
      results.push({ provider, loads: true });
    } catch (e) {
      results.push({ provider, loads: false, reason: String((e && e.message) || e).split('\\n')[0].slice(0, 1000) });
    }
  }
  process.stdout.write(JSON.stringify({ backends, results }));
});`;

/** Providers worth probing on each platform, best first. */
export function providersFor(platform: NodeJS.Platform): ProviderName[] {
  if (platform === 'darwin') return ['coreml', 'webgpu', 'cpu'];
  if (platform === 'win32') return ['cuda', 'dml', 'webgpu', 'cpu'];
  return ['cuda', 'tensorrt', 'webgpu', 'cpu'];
}

export async function probeProviders(platform: NodeJS.Platform = process.platform, timeoutMs = 30_000): Promise<ProviderProbe> {
  const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
  const result = await runCommand(process.execPath, ['-e', CHILD], {
    timeoutMs,
    input: JSON.stringify({ model: probeModel(), providers: providersFor(platform) }),
    env: { ...process.env, NNUNET_DOCTOR_ORT: ortPath },
  });
  if (!result.ok) return { ok: false, statuses: [], reason: `the provider probe failed: ${result.reason}` };
  try {
    return { ok: true, statuses: parseProbeOutput(result.stdout) };
  } catch (error) {
    return { ok: false, statuses: [], reason: `the provider probe printed no result: ${(error as Error).message}` };
  }
}

export function parseProbeOutput(stdout: string): ProviderStatus[] {
  const parsed = JSON.parse(stdout) as {
    backends: { name: string; bundled: boolean }[];
    results: { provider: ProviderName; loads: boolean; reason?: string }[];
  };
  return parsed.results.map((r) => ({
    provider: r.provider,
    bundled: parsed.backends.find((b) => b.name === r.provider)?.bundled ?? false,
    loads: r.loads,
    ...(r.reason ? { reason: cleanReason(r.reason) } : {}),
  }));
}

/** ORT prefixes messages with its source path and the failed assertion; the user needs the last sentence. */
export function cleanReason(reason: string): string {
  const failed = /(Failed to [^\n]*)$/.exec(reason);
  return (failed ? failed[1]! : reason).trim();
}

/** The fastest provider that loads; WebGPU only when nothing native does (it is experimental). */
export function bestProvider(statuses: readonly ProviderStatus[]): ProviderName {
  for (const p of ['cuda', 'dml', 'coreml', 'webgpu'] as const) {
    if (statuses.some((s) => s.provider === p && s.loads)) return p;
  }
  return 'cpu';
}

