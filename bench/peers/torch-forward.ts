import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runCommand } from '../../src/core/exec.js';
import { PACKAGE_ROOT } from '../../src/core/version.js';
import { PEER_PYTHON } from './torch-peer.js';

// The nn.Module PlainConvUNet the equivalence test also uses (test/engine/unet-graph.test.ts); read from the
// package root because tsc does not copy it into dist/.
const SCRIPT = path.join(PACKAGE_ROOT, 'fixtures', 'engine', 'unet_torch.py');

export interface TorchForward {
  torch: string;
  threads: number;
  /** One timed eager forward pass in the live peer, milliseconds as PyTorch measured it. */
  run(): Promise<number>;
  close(): void;
}

/**
 * Starts a PyTorch process that holds the network (built from `specFile`, a UNetConfig as JSON) and runs
 * one forward pass per request, so a benchmark can alternate it run by run with onnxruntime. Every
 * request has a deadline; a missed one kills the peer.
 */
export async function startTorchForward(specFile: string, threads: number, timeoutMs: number): Promise<TorchForward> {
  const child = spawn(PEER_PYTHON, [SCRIPT, 'serve', specFile, String(threads)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.on('error', (error) => {
    stderr += `${error.message}\n`;
  });
  // A write to a peer that died fails here; the failure itself surfaces through next(), with its stderr.
  child.stdin.on('error', () => undefined);
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // 'close' comes after both pipes are drained: stdout can end before the traceback on stderr is read.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async <T>(): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the PyTorch peer gave no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const line = await Promise.race([lines.next(), deadline]);
      if (line.done) {
        await Promise.race([closed, deadline]);
        throw new Error(`the PyTorch peer exited:\n${stderr}`);
      }
      return JSON.parse(line.value) as T;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  const ready = await next<{ torch: string; threads: number }>();
  return {
    ...ready,
    async run() {
      child.stdin.write('run\n');
      return (await next<{ ms: number }>()).ms;
    },
    close() {
      child.stdin.end();
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    },
  };
}

/** Writes the same network through torch.onnx.export (random weights: timing does not depend on them). */
export async function exportTorchOnnx(specFile: string, outFile: string, timeoutMs: number): Promise<void> {
  const result = await runCommand(PEER_PYTHON, [SCRIPT, 'export', specFile, outFile], { timeoutMs });
  if (!result.ok) throw new Error(`torch.onnx.export failed: ${result.reason}\n${result.stderr.slice(-2000)}`);
}
