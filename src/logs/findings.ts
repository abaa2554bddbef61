import { fail, info, pass, warn, type Finding } from '../core/finding.js';
import { primaryCause, type LogExplanation } from './explain-log.js';
import type { Diagnosis } from './match.js';
import { adviceFor } from './match.js';
import { signatureById } from './signatures.js';

const REF = 'known-problems.md section 2';

/**
 * The verdicts on one explained log, most important first. Shared by `explain` and the `logs.training`
 * check, so both say the same thing about the same log.
 */
export function logFindings(explanation: LogExplanation): Finding[] {
  const primary = primaryCause(explanation);
  const nanOnset = explanation.training?.firstNonFinite;
  const findings: { line: number; finding: Finding }[] = [];
  const add = (line: number, finding: Finding) => findings.push({ line, finding });

  if (explanation.nnunet.major === 'v1') {
    add(0, warn('this is an nnU-Net v1 log', {
      why: 'nnU-Net v1 is no longer maintained; the advice below is for v1 where it differs from v2',
      fix: 'move to nnU-Net v2 (`pip install nnunetv2`, convert the data with `nnUNetv2_convert_old_nnUNet_dataset`)',
      evidence: { markers: explanation.nnunet.evidence },
    }));
  }
  for (const wrapper of explanation.wrappers) {
    const title = signatureById(wrapper.wrapperId)?.title ?? wrapper.wrapperId;
    if (wrapper.realError) {
      add(wrapper.wrapperLine, info(`line ${wrapper.wrapperLine} ("${title}") only reports a dead worker; the real error is at line ${wrapper.realError.line} ${wrapper.realError.position} it`, {
        evidence: { wrapper: wrapper.wrapperId, realError: wrapper.realError },
      }));
    } else {
      add(wrapper.wrapperLine, fail(`a worker died without an error message (line ${wrapper.wrapperLine}): most likely the OOM killer`, {
        why: 'the wrapper message only says that a worker process is gone; nothing above it shows a Python error, which is what happens when the kernel kills a worker because system RAM ran out',
        fix: "confirm with `sudo dmesg -T | grep -iE 'killed process|out of memory'` or `journalctl -k | grep -i 'out of memory'`; then lower `nnUNet_n_proc_DA` (training) or `-np`/`-npp`/`-nps`, or add RAM/swap; in Docker also check --shm-size",
        ref: `${REF} ${wrapper.wrapperId}`,
        evidence: { wrapper: wrapper.wrapperId, line: wrapper.wrapperLine },
      }));
    }
  }
  for (const d of explanation.diagnoses) {
    if (d.kind === 'wrapper') continue;
    if (d.id === 'L52' && nanOnset) continue; // the training-log finding below says it with the epoch
    add(d.firstLine, diagnosisFinding(d));
  }
  for (const u of explanation.unrecognized) {
    const isPrimary = primary?.id === 'unrecognized' && primary.line === u.line;
    const make = isPrimary ? fail : warn;
    add(u.line, make(`unrecognised error at line ${u.line}: ${clip(u.text)}`, {
      why: 'this exception is not in the doctor\'s signature table; it is the first thing to read',
      fix: 'search the nnU-Net issue tracker for the message; when asking for help include the full log from the first "Traceback" and `nnunet-doctor report`',
      evidence: { line: u.line, excerpt: u.excerpt },
    }));
  }
  for (const h of explanation.harmless) {
    add(h.firstLine, info(`harmless (line ${h.firstLine}${h.occurrences > 1 ? `, ${h.occurrences}×` : ''}): ${clip(stripTimestamp(h.text), 100)}`, { why: `${h.title}: ${h.cause}`, ref: `${REF} ${h.id}`, evidence: { signature: h.id, text: h.text } }));
  }
  const training = explanation.training;
  if (training) findings.push(...trainingFindings(explanation).map((finding) => ({ line: Number.MAX_SAFE_INTEGER, finding })));
  if (findings.every(({ finding }) => finding.status === 'info' || finding.status === 'pass')) {
    if (!training) add(0, pass(`no known problem in ${explanation.lineCount} lines`));
  }
  const primaryLine = primary?.line;
  return findings
    .sort((a, b) => rank(b.finding, b.line === primaryLine) - rank(a.finding, a.line === primaryLine) || a.line - b.line)
    .map(({ finding }) => finding);
}

function rank(finding: Finding, isPrimary: boolean): number {
  const order = { fail: 4, error: 3, timeout: 3, warn: 2, info: 1, pass: 1, skip: 0 } as const;
  return order[finding.status] * 2 + (isPrimary ? 1 : 0);
}

function diagnosisFinding(d: Diagnosis): Finding {
  const make = d.kind === 'error' ? fail : warn;
  return make(`${d.title} (line ${d.firstLine}${d.occurrences > 1 ? `, ${d.occurrences}×` : ''})`, {
    why: d.cause,
    fix: d.fix,
    ref: `${REF} ${d.id}; ${d.source.join(', ')}`,
    evidence: { signature: d.id, line: d.firstLine, text: d.text, excerpt: d.excerpt },
  });
}

function trainingFindings(explanation: LogExplanation): Finding[] {
  const t = explanation.training!;
  const out: Finding[] = [];
  const nanSignature = signatureById('L52')!;
  if (t.firstNonFinite) {
    const onset = t.firstNonFinite;
    out.push(fail(`${onset.losses.join(' and ')} became nan at epoch ${onset.epoch}${onset.lastFiniteEpoch === undefined ? '' : ` (last finite epoch ${onset.lastFiniteEpoch})`}`, {
      why: `${nanSignature.cause}\n${onset.before.join('\n')}`,
      fix: adviceFor(nanSignature, explanation.nnunet.major),
      ref: `${REF} L52; nnunet-facts.md 10.1`,
      evidence: { epoch: onset.epoch, lastFiniteEpoch: onset.lastFiniteEpoch, losses: onset.losses },
    }));
  }
  const times = t.epochTime;
  if (times?.trend === 'rising') {
    out.push(warn(`epochs got slower: ${times.earlyMedianS.toFixed(1)} s early in the run, ${times.lateMedianS.toFixed(1)} s lately`, {
      why: 'a rising epoch time points at I/O (network or slow disk for nnUNet_preprocessed), RAM pressure and swapping, or a GPU that throttles or is shared',
      fix: 'watch `free -h`, `nvidia-smi` and disk I/O during training; compare `nnUNetTrainerBenchmark_5epochs` with `nnUNetTrainerBenchmark_5epochs_noDataLoading`',
      ref: `${REF} L55; known-problems.md row 5`,
      evidence: { ...times },
    }));
  }
  const last = t.epochs[t.epochs.length - 1]!;
  const best = [...t.epochs].reverse().find((e) => e.newBestEmaDice !== undefined)?.newBestEmaDice;
  const parts = [
    `${t.epochs.length} epochs logged (last: epoch ${last.epoch})`,
    last.trainLoss === undefined ? '' : `train_loss ${fmtLoss(last.trainLoss)}`,
    last.valLoss === undefined ? '' : `val_loss ${fmtLoss(last.valLoss)}`,
    best === undefined ? '' : `best EMA pseudo Dice ${best}`,
    times ? `epoch time median ${times.medianS.toFixed(1)} s` : '',
    t.finished ? 'training finished' : '',
  ].filter(Boolean);
  out.push(info(parts.join(', '), { evidence: { configuration: t.configuration, versions: t.versions, device: t.device, compile: t.compile, starts: t.starts } }));
  return out;
}

function fmtLoss(value: number | null): string {
  return value === null ? 'nan' : String(value);
}

function stripTimestamp(text: string): string {
  return text.replace(/^\d{4}-\d{2}-\d{2} [\d:.]+: /, '');
}

function clip(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
