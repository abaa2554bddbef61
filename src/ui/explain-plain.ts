import { Chalk } from 'chalk';
import type { FixPlatform } from '../core/finding.js';
import type { ExplainDocument } from '../logs/explain-document.js';
import { signatureById } from '../logs/signatures.js';
import { findingLines } from './finding-lines.js';

export interface ExplainPlainOptions {
  verbose: boolean;
  colorLevel: 0 | 1 | 2 | 3;
  fixPlatform: FixPlatform;
}

/** `nnunet-doctor explain` as text: what was read, the cause to act on first, then every finding. */
export function renderExplainPlain(doc: ExplainDocument, options: ExplainPlainOptions): string {
  const c = new Chalk({ level: options.colorLevel });
  const { explanation, source } = doc;
  const what = source.kind === 'stdin' ? 'standard input' : source.path;
  const major = explanation.nnunet.major === 'unknown' ? 'nnU-Net version not recognisable' : `nnU-Net ${explanation.nnunet.major}`;
  const lines = [c.bold(`nnunet-doctor explain`) + c.dim(` · ${what} · ${source.lines} lines · ${major}`)];
  if (doc.run?.trainer) lines.push(c.dim(`run ${doc.run.dataset} · ${doc.run.trainer}__${doc.run.plans}__${doc.run.configuration} · fold ${doc.run.fold}`));
  const config = explanation.training?.configuration;
  if (config?.name) {
    const parts = [config.name, config.batchSize && `batch ${config.batchSize}`, config.patchSize && `patch ${config.patchSize.join('×')}`, config.networkClass?.split('.').pop()];
    lines.push(c.dim(`configuration ${parts.filter(Boolean).join(' · ')}`));
  }
  const versions = { ...explanation.training?.versions, ...(doc.debug?.torchVersion ? { torch: doc.debug.torchVersion } : {}) };
  if (versions.nnunet || versions.torch) lines.push(c.dim(`versions ${[versions.nnunet && `nnU-Net ${versions.nnunet}`, versions.torch && `torch ${versions.torch}`].filter(Boolean).join(' · ')}`));
  lines.push('');
  if (doc.primaryCause) {
    const title = doc.primaryCause.id === 'oom-killer' ? 'a worker was killed without an error (OOM killer)' : (signatureById(doc.primaryCause.id)?.title ?? 'an unrecognised error');
    lines.push(`${c.bold('Most likely cause:')} ${title} ${c.dim(`(line ${doc.primaryCause.line})`)}`, '');
  }
  for (const finding of doc.findings) lines.push(...findingLines(c, finding, options));
  return `${lines.join('\n')}\n`;
}
