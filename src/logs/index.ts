// The public API of the log reader, for commands, probes and the nan flow.
export { explainLog, primaryCause, type LogExplanation } from './explain-log.js';
export { logFindings } from './findings.js';
export type { Diagnosis, UnrecognizedError, WrapperResolution } from './match.js';
export { normalizeLog, stripAnsi, type LogLine } from './normalize.js';
export { LOG_SIGNATURES, type LogSignature } from './signatures.js';
export { parseTrainingLog, type EpochRecord, type TrainingLogSummary } from './training-log.js';
export { detectNnunetMajor, type NnunetMajor } from './version.js';
