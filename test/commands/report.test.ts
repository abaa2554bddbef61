import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE3 = path.join(ROOT, 'fixtures/reports/node-3.json');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'nnunet-doctor-report-'));

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** The CLI from source with stdout and stdin piped: what scripts and CI see. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const child = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: '', ...env },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return child.then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (e: Run) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }),
  );
}

/** A raw dataset whose case names are the kind of thing that must not leave the hospital. */
function makeDataset(): { dir: string; cases: string[] } {
  const dir = path.join(tmp, 'nnUNet_raw', 'Dataset321_StMarysLiver');
  const cases = ['smith_john_0001', 'doe_jane_0002', 'mrn88231_0003'];
  for (const sub of ['imagesTr', 'labelsTr']) mkdirSync(path.join(dir, sub), { recursive: true });
  for (const c of cases) {
    writeFileSync(path.join(dir, 'imagesTr', `${c}_0000.nii.gz`), 'not really an image');
    writeFileSync(path.join(dir, 'labelsTr', `${c}.nii.gz`), 'not really a label');
  }
  const datasetJson = { name: 'StMarysLiver', channel_names: { 0: 'CT' }, labels: { background: 0, liver: 1 }, numTraining: 3, file_ending: '.nii.gz' };
  writeFileSync(path.join(dir, 'dataset.json'), JSON.stringify(datasetJson));
  return { dir, cases };
}

function makeResults(): string {
  const results = path.join(tmp, 'nnUNet_results');
  const run = path.join(results, 'Dataset321_StMarysLiver', 'nnUNetTrainer__nnUNetPlans__3d_fullres');
  const fold = path.join(run, 'fold_0');
  mkdirSync(fold, { recursive: true });
  const epochs = Array.from({ length: 80 }, (_, e) => [
    `2024-05-01 10:${String(e % 60).padStart(2, '0')}:00.000000: Epoch ${e}`,
    `2024-05-01 10:${String(e % 60).padStart(2, '0')}:01.000000: train_loss ${(-0.01 * e).toFixed(4)}`,
    `2024-05-01 10:${String(e % 60).padStart(2, '0')}:02.000000: Epoch time: ${(120 + (e % 7)).toFixed(2)} s`,
  ]);
  writeFileSync(path.join(fold, 'training_log_2024_5_1_10_00_00.txt'), `${epochs.flat().join('\n')}\n2024-05-01 11:00:00.000000: RuntimeError: CUDA out of memory\n`);
  writeFileSync(path.join(fold, 'debug.json'), JSON.stringify({ torch_version: '2.8.0+cu128', hostname: 'gpu-secret-node-17', cudnn_version: 91002 }));
  const plans = { plans_name: 'nnUNetPlans', configurations: { '3d_fullres': { batch_size: 2, patch_size: [128, 128, 128] }, '3d_lowres': { inherits_from: '3d_fullres', batch_size: 3 } } };
  writeFileSync(path.join(run, 'plans.json'), JSON.stringify(plans));
  return results;
}

function treeChecksum(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      const s = statSync(full);
      hash.update(`${path.relative(dir, full)}:${s.size}:${s.mtimeMs}`);
      if (s.isDirectory()) walk(full);
      else hash.update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

describe('nnunet-doctor report (piped)', { timeout: 180_000 }, () => {
  it('prints Markdown to stdout without asking when stdin is not a terminal', async () => {
    const run = await cli(['report', '--facts', NODE3]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^## nnunet-doctor report\n/);
    expect(run.stdout).toContain('`system.shm` /dev/shm is only 64.0 MiB');
    expect(run.stdout).not.toContain('10.12.0.43');
    expect(run.stderr).not.toMatch(/\[y\/N\]/);
  });

  it('writes -o FILE in the chosen format and says so on stderr', async () => {
    const out = path.join(tmp, 'report.json');
    const run = await cli(['report', '--facts', NODE3, '--format', 'json', '-o', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Wrote ${out}`);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc).toMatchObject({ schema: 'nnunet-doctor/report@1', command: 'report', redaction: { enabled: true } });
  });

  it('hashes case and dataset names with --redact-cases and leaves the dataset untouched', async () => {
    const { dir, cases } = makeDataset();
    const before = treeChecksum(dir);
    const run = await cli(['report', '--facts', NODE3, '--dataset', dir, '--redact-cases', '--format', 'json']);
    expect(run.code).toBe(0);
    for (const secret of [...cases, 'StMarysLiver', 'smith', 'mrn88231']) expect(run.stdout).not.toContain(secret);
    const doc = JSON.parse(run.stdout);
    expect(doc.facts.ticketSources.dataset.caseIds).toHaveLength(3);
    expect(doc.facts.ticketSources.dataset.caseIds.every((c: string) => /^case-[0-9a-f]{8}$/.test(c))).toBe(true);
    expect(doc.facts.ticketSources.dataset.name).toMatch(/^Dataset321_ds-[0-9a-f]{8}$/);
    expect(doc.redaction).toMatchObject({ redactCases: true, counts: { case: expect.any(Number), dataset: expect.any(Number) } });
    expect(treeChecksum(dir)).toBe(before);
  });

  it('quotes the newest training log, debug.json and the plans in use from --results', async () => {
    const results = makeResults();
    const run = await cli(['report', '--facts', NODE3, '--results', results]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('RuntimeError: CUDA out of memory');
    expect(run.stdout).toMatch(/<details><summary>Last lines of .*training_log_2024_5_1_10_00_00\.txt<\/summary>/);
    expect(run.stdout).toContain('Plans in use: nnUNetPlans / 3d_fullres');
    expect(run.stdout).toContain('"patch_size"');
    expect(run.stdout).toContain('"torch_version": "2.8.0+cu128"');
    expect(run.stdout).not.toContain('gpu-secret-node-17');
    expect(run.stdout).toMatch(/Epoch times \(from the (training log|last lines of the training log), \d+ values\)/);
  });

  it('draws a benchmark saved with `bench --json` when it is included', async () => {
    const bench = path.join(tmp, 'bench.json');
    const outcome = { status: 'measured', epoch: { secondsPerEpoch: 88 }, reference: { what: 'v1 Task003_Liver 3d_fullres', references: [{ label: 'A100 40GB PCIe', secondsPerEpoch: 41.49 }] } };
    writeFileSync(bench, JSON.stringify({ schema: 'nnunet-doctor/bench@1', bench: { outcome, providers: [], nvidiaGpus: [] } }));
    const run = await cli(['report', '--facts', NODE3, '--format', 'html', '--include', bench]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Seconds per epoch (lower is faster)');
    expect(run.stdout).toContain('<title>This machine: 88</title>');
    const bad = await cli(['report', '--facts', NODE3, '--include', NODE3.replace('node-3', 'missing')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('could not read');
  });
});

describe('nnunet-doctor merge and diff (piped)', { timeout: 120_000 }, () => {
  const reports = [0, 1, 2, 3].map((i) => path.join(ROOT, `fixtures/reports/node-${i}.json`));

  it('merges node reports in every format and exits 1 when a node fails', async () => {
    const md = await cli(['merge', ...reports]);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('| NVIDIA driver | 570.124.06 | node-0, node-1, node-3 |');
    const json = await cli(['merge', ...reports, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ schema: 'nnunet-doctor/merge@1', nodes: [{ label: 'node-0' }, { label: 'node-1' }, { label: 'node-2' }, { label: 'node-3' }] });
    const html = await cli(['merge', ...reports, '--format', 'html']);
    expect(html.stdout).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
    const ok = await cli(['merge', reports[0]!, reports[1]!]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Every node reports the same values.');
  });

  it('diffs two reports, exits 1 on a difference and 2 on a bad file', async () => {
    const diff = await cli(['diff', reports[0]!, reports[2]!]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('| gpu.driver | pass | fail |');
    expect((await cli(['diff', reports[0]!, reports[1]!])).code).toBe(0);
    const bad = await cli(['diff', reports[0]!, path.join(ROOT, 'package.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not an nnunet-doctor report');
  });
});

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
}

// tmux is installed by .ci/run: it gives the command a real terminal, where the report asks before writing.
describe.runIf(hasTmux())('nnunet-doctor report at a terminal (tmux)', { timeout: 120_000 }, () => {
  const session = `nnd-report-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  afterEach(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      /* already gone */
    }
  });

  async function screenWith(text: string): Promise<string> {
    const end = Date.now() + 90_000;
    let screen = '';
    while (Date.now() < end && !(screen = tmux('capture-pane', '-p', '-J', '-t', session)).includes(text)) await new Promise((r) => setTimeout(r, 200));
    return screen;
  }

  for (const [answer, written] of [['n', false], ['y', true]] as const) {
    it(`shows what will be included and how much was redacted, and ${written ? 'writes on "y"' : 'writes nothing on "n"'}`, async () => {
      const out = path.join(tmp, `tty-${answer}.md`);
      const command = `cd ${ROOT} && env -u CI ${process.execPath} --import tsx src/cli.ts report --facts ${NODE3} -o ${out}; echo "EXIT=$?"; sleep 60`;
      tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', command);
      const preview = await screenWith('[y/N]');
      expect(preview).toMatch(/The Markdown report \([\d.]+ KiB\) for .*tty-[ny]\.md includes:/);
      expect(preview).toMatch(/\n {2}• summary: .*failed; \d+ failures and warnings with fixes first\n/);
      expect(preview).toMatch(/\nRedacted: ((\d+ [a-z-]+, )*\d+ [a-z-]+ \(\d+ in all\)|nothing found to remove); case names kept/);
      tmux('send-keys', '-t', session, answer, 'Enter');
      const done = await screenWith('EXIT=');
      expect(done).toContain('EXIT=0');
      expect(existsSync(out)).toBe(written);
      expect(done).toContain(written ? `Wrote ${out}` : 'Nothing written.');
    });
  }
});
