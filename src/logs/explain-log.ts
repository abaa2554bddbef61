import { matchSignatures, type Diagnosis, type UnrecognizedError, type WrapperResolution } from './match.js';
import { normalizeLog } from './normalize.js';
import { parseTrainingLog, type TrainingLogSummary } from './training-log.js';
import { detectNnunetMajor, type VersionVerdict } from './version.js';

/** Everything the doctor can read from one log: plain data, shared by `explain`, `check` and `nan`. */
export interface LogExplanation {
  lineCount: number;
  nnunet: VersionVerdict;
  /** Recognised failures, wrappers and warnings, in order of first appearance. */
  diagnoses: Diagnosis[];
  /** Recognised lines that are harmless, said explicitly so users stop chasing them. */
  harmless: Diagnosis[];
  unrecognized: UnrecognizedError[];
  wrappers: WrapperResolution[];
  training?: TrainingLogSummary;
}

export function explainLog(raw: string): LogExplanation {
  const lines = normalizeLog(raw);
  const nnunet = detectNnunetMajor(lines);
  const { diagnoses, unrecognized, wrappers } = matchSignatures(lines, nnunet.major);
  return {
    lineCount: lines.length,
    nnunet,
    diagnoses: diagnoses.filter((d) => d.kind !== 'noise'),
    harmless: diagnoses.filter((d) => d.kind === 'noise'),
    unrecognized,
    wrappers,
    training: parseTrainingLog(lines),
  };
}

/**
 * The cause a person should act on first: the real error behind the first wrapper, otherwise the earliest
 * recognised error (later errors are usually consequences), otherwise the earliest unrecognised exception.
 */
export function primaryCause(explanation: LogExplanation): { id: string; line: number; text: string } | undefined {
  const wrapper = explanation.wrappers.find((w) => w.realError);
  if (wrapper?.realError) {
    const { signatureId, line, text } = wrapper.realError;
    // Name the cause where its finding does: at the signature's first occurrence.
    const diagnosis = explanation.diagnoses.find((d) => d.id === signatureId);
    return diagnosis ? { id: diagnosis.id, line: diagnosis.firstLine, text: diagnosis.text } : { id: signatureId ?? 'unrecognized', line, text };
  }
  if (explanation.wrappers.some((w) => w.likelyOomKiller)) {
    const w = explanation.wrappers[0]!;
    return { id: 'oom-killer', line: w.wrapperLine, text: 'a worker died without an error message' };
  }
  const error = explanation.diagnoses.find((d) => d.kind === 'error');
  if (error) return { id: error.id, line: error.firstLine, text: error.text };
  const unknown = explanation.unrecognized[0];
  return unknown ? { id: 'unrecognized', line: unknown.line, text: unknown.text } : undefined;
}
