import os from 'node:os';
import type { Facts } from '../core/facts.js';
import { countStatuses, exitCodeFor, type FailOn } from '../core/exit-code.js';
import type { Status } from '../core/finding.js';
import { worstStatus, type CheckResult } from '../core/runner.js';
import { TOOL_VERSION } from '../core/version.js';
import type { RedactionSummary } from './redact.js';

export const REPORT_SCHEMA = 'nnunet-doctor/report@1';

export interface PlatformSummary {
  os: NodeJS.Platform;
  release: string;
  arch: string;
  node: string;
}

export interface ReportDocument {
  schema: typeof REPORT_SCHEMA;
  tool: { name: 'nnunet-doctor'; version: string };
  createdAt: string;
  command: string;
  /** The judged machine (the recorded one for a replay); `node` is the Node.js that ran the doctor. */
  platform: PlatformSummary;
  summary: { counts: Record<Status, number>; failOn: FailOn; exitCode: 0 | 1; durationMs: number };
  results: (CheckResult & { status: Status })[];
  /** The probed facts the verdicts were made from; replayable with --facts. */
  facts: Partial<Facts>;
  probeDurationsMs: Record<string, number>;
  /** Present on documents written by `report`: what the redaction layer removed (check --json is not redacted). */
  redaction?: RedactionSummary;
}

export interface ReportInput {
  command: string;
  results: readonly CheckResult[];
  failOn: FailOn;
  facts: Partial<Facts>;
  probeDurationsMs: ReadonlyMap<string, number>;
  durationMs: number;
  now?: Date;
}

/** The machine the facts describe: the recorded one when they were replayed (--facts), else this one. */
export function platformOf(osFact: Facts['os'] | undefined): PlatformSummary {
  if (osFact?.ok) return { os: osFact.platform, release: osFact.release, arch: osFact.arch, node: process.version };
  return { os: process.platform, release: os.release(), arch: process.arch, node: process.version };
}

export function buildReport(input: ReportInput): ReportDocument {
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'nnunet-doctor', version: TOOL_VERSION },
    createdAt: (input.now ?? new Date()).toISOString(),
    command: input.command,
    platform: platformOf(input.facts.os),
    summary: {
      counts: countStatuses(input.results),
      failOn: input.failOn,
      exitCode: exitCodeFor(input.results, input.failOn),
      durationMs: Math.round(input.durationMs),
    },
    results: input.results.map((r) => ({ ...r, status: worstStatus(r) })),
    facts: input.facts,
    probeDurationsMs: Object.fromEntries([...input.probeDurationsMs].map(([k, v]) => [k, Math.round(v)])),
  };
}
