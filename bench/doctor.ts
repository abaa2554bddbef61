// npm run bench:doctor — cold start-up of `nnunet-doctor --json` against peers measured in the same run:
// bare Node start-up (budget: the system/env checks add at most 0.4 s), and with the Python probe,
// PyTorch's own collect_env and a bare `import torch` (budgets: at most 1.0x collect_env, at most 0.3 s over
// the import).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, timeProcesses } from './measure.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/src/cli.js');
const runs = Number(process.env.BENCH_RUNS ?? 7);
const python = '/usr/bin/python3';
const env = { ...process.env, CI: 'true' };

console.log(`nnunet-doctor start-up, median of ${runs} cold runs each (after one warm-up; peers take turns)\n`);
const [node, system] = timeProcesses([
  { label: 'node -e 0', file: process.execPath, args: ['-e', '0'], env },
  { label: 'nnunet-doctor --json --only system,env', file: process.execPath, args: [cli, '--json', '--only', 'system,env'], env },
], runs);
printTable([node, system]);
const overMs = system.medianMs - node.medianMs;
console.log(`\n  system/env checks add ${overMs.toFixed(0)} ms over bare Node (budget 400 ms): ${overMs <= 400 ? 'within budget' : 'OVER BUDGET'}`);

if (existsSync(python)) {
  const withTorch = { ...env, PATH: `${path.dirname(python)}:${process.env.PATH}` };
  const [full, collect, importTorch] = timeProcesses([
    { label: 'nnunet-doctor --json (all checks)', file: process.execPath, args: [cli, '--json', '--python', python], env: withTorch },
    { label: 'python3 -m torch.utils.collect_env', file: python, args: ['-m', 'torch.utils.collect_env'], env: withTorch },
    { label: "python3 -c 'import torch'", file: python, args: ['-c', 'import torch'], env: withTorch },
  ], runs);
  console.log('');
  printTable([full, collect, importTorch]);
  const ratio = full.medianMs / collect.medianMs;
  const overImport = full.medianMs - importTorch.medianMs;
  console.log(`\n  doctor / collect_env = ${ratio.toFixed(2)}x (budget 1.0x): ${ratio <= 1 ? 'within budget' : 'OVER BUDGET'}`);
  console.log(`  doctor - import torch = ${overImport.toFixed(0)} ms (budget 300 ms): ${overImport <= 300 ? 'within budget' : 'OVER BUDGET'}`);
} else {
  console.log(`\n  ${python} not found: the PyTorch comparison needs Debian's python3-torch (apt-get install python3-torch)`);
}
