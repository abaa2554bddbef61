import { exitCodeFor, type FailOn } from '../core/exit-code.js';
import type { Finding } from '../core/finding.js';
import { TOOL_VERSION } from '../core/version.js';
import { primaryCause, type LogExplanation } from './explain-log.js';
import { logFindings } from './findings.js';
import type { DebugInfo, RunIdentity } from './results.js';

export const EXPLAIN_SCHEMA = 'nnunet-doctor/explain@1';

export interface ExplainSource {
  kind: 'file' | 'stdin';
  path?: string;
  /** How the file was chosen: named by the user, or the newest training log under the results folder. */
  chosenBy: 'argument' | 'newest-training-log' | 'stdin';
}

export interface ExplainDocument {
  schema: typeof EXPLAIN_SCHEMA;
  tool: { name: 'nnunet-doctor'; version: string };
  createdAt: string;
  source: ExplainSource & { lines: number };
  run?: RunIdentity;
  debug?: DebugInfo;
  primaryCause?: { id: string; line: number; text: string };
  findings: Finding[];
  explanation: LogExplanation;
  summary: { failOn: FailOn; exitCode: 0 | 1 };
}

export interface ExplainInput {
  source: ExplainSource;
  explanation: LogExplanation;
  run?: RunIdentity;
  debug?: DebugInfo;
  failOn: FailOn;
  now?: Date;
}

export function buildExplainDocument(input: ExplainInput): ExplainDocument {
  const findings = logFindings(input.explanation);
  const primary = primaryCause(input.explanation);
  return {
    schema: EXPLAIN_SCHEMA,
    tool: { name: 'nnunet-doctor', version: TOOL_VERSION },
    createdAt: (input.now ?? new Date()).toISOString(),
    source: { ...input.source, lines: input.explanation.lineCount },
    ...(input.run && Object.keys(input.run).length > 0 ? { run: input.run } : {}),
    ...(input.debug ? { debug: input.debug } : {}),
    ...(primary ? { primaryCause: primary } : {}),
    findings,
    explanation: input.explanation,
    summary: {
      failOn: input.failOn,
      exitCode: exitCodeFor([{ id: 'logs.explain', title: 'explain', category: 'logs', findings, durationMs: 0 }], input.failOn),
    },
  };
}
