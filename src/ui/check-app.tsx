import { Spinner } from '@inkjs/ui';
import { Box, render, Static, Text, useApp } from 'ink';
import { useEffect, useSyncExternalStore } from 'react';
import { executeRun, prepareRun, type DoctorRunInput } from '../commands/doctor-run.js';
import type { FailOn } from '../core/exit-code.js';
import { fixFor, type Finding, type FixPlatform } from '../core/finding.js';
import { worstStatus, type CheckResult } from '../core/runner.js';
import { buildReport } from '../report/document.js';
import { fmtMs } from '../util/format.js';
import { fixPlatformOf } from '../util/platform.js';
import { titleCase } from './plain.js';
import { RunState } from './run-state.js';
import { STATUS_STYLE } from './status-style.js';
import { countsText, exitText } from './summary-line.js';

export interface CheckAppProps {
  state: RunState;
  verbose: boolean;
  fixPlatform: FixPlatform;
}

export function CheckApp({ state, verbose, fixPlatform }: CheckAppProps) {
  const view = useSyncExternalStore(state.subscribe, state.get);
  const { exit } = useApp();
  // Exit only after the frame with the summary is drawn.
  useEffect(() => {
    if (view.report) exit();
  }, [view.report, exit]);
  const rows = view.committed.map((result, i) => ({ result, header: i === 0 || view.committed[i - 1]!.category !== result.category }));
  return (
    <>
      <Static items={rows}>
        {({ result, header }) => (
          <Box key={result.id} flexDirection="column" marginTop={header ? 1 : 0}>
            {header && <Text bold>{titleCase(result.category)}</Text>}
            <ResultRow result={result} verbose={verbose} fixPlatform={fixPlatform} />
          </Box>
        )}
      </Static>
      {view.pending.map((p) => (
        <Box key={p.id} gap={1} marginLeft={2}>
          {p.result ? <StatusIcon status={worstStatus(p.result)} /> : <Spinner />}
          <Text>{p.title}</Text>
          <Text dimColor>[{p.id}]</Text>
        </Box>
      ))}
      {view.slowProbes.map((p) => (
        <Text key={p.fact} color="yellow">
          … still waiting for the {p.fact} probe ({fmtMs(p.elapsedMs)}); a hung tool is stopped at the --timeout deadline
        </Text>
      ))}
      {view.report && (
        <Box marginTop={1} flexDirection="column">
          <Text>
            <Text bold>Summary </Text>
            {countsText(view.report.summary.counts)}
          </Text>
          <Text dimColor>
            {exitText(view.report.summary.exitCode, view.report.summary.failOn)} · {fmtMs(view.report.summary.durationMs)}
            {verbose ? '' : ' · -v for details and evidence'}
          </Text>
        </Box>
      )}
    </>
  );
}

function ResultRow({ result, verbose, fixPlatform }: { result: CheckResult; verbose: boolean; fixPlatform: FixPlatform }) {
  const single = result.findings.length === 1 ? result.findings[0] : undefined;
  return (
    <Box flexDirection="column" marginLeft={2}>
      <Text>
        <StatusIcon status={worstStatus(result)} /> {result.title}
        <Text dimColor> [{result.id}]</Text>
        {single ? `: ${single.summary}` : ''}
        {verbose ? <Text dimColor> ({fmtMs(result.durationMs)})</Text> : null}
      </Text>
      {result.findings.map((f, i) => (
        <FindingBody key={i} finding={f} showSummary={!single} verbose={verbose} fixPlatform={fixPlatform} />
      ))}
    </Box>
  );
}

function FindingBody({ finding, showSummary, verbose, fixPlatform }: { finding: Finding; showSummary: boolean; verbose: boolean; fixPlatform: FixPlatform }) {
  const serious = finding.status === 'warn' || finding.status === 'fail' || finding.status === 'error' || finding.status === 'timeout';
  return (
    <Box flexDirection="column" marginLeft={showSummary ? 2 : 4}>
      {showSummary && (
        <Text>
          <StatusIcon status={finding.status} /> {finding.summary}
        </Text>
      )}
      <Box flexDirection="column" marginLeft={showSummary ? 2 : 0}>
        {finding.details && (verbose || serious) && <Text dimColor>why {finding.details}</Text>}
        {finding.fix && (verbose || serious) && (
          <Text>
            <Text color="cyan">fix </Text>
            {fixFor(finding.fix, fixPlatform)}
          </Text>
        )}
        {verbose && finding.ref && <Text dimColor>ref {finding.ref}</Text>}
        {verbose && finding.evidence && <Text dimColor>evidence {JSON.stringify(finding.evidence)}</Text>}
      </Box>
    </Box>
  );
}

function StatusIcon({ status }: { status: Finding['status'] }) {
  const style = STATUS_STYLE[status];
  return <Text color={style.color}>{style.icon}</Text>;
}

/** Runs the checks behind the live UI and returns the exit code. */
export async function runCheckUi(input: DoctorRunInput, opts: { verbose: boolean; failOn: FailOn; started: number }): Promise<number> {
  const state = new RunState();
  const events = {
    onCheckFinish: (r: CheckResult) => state.checkFinished(r),
    onSlowProbe: (fact: string, ms: number) => state.probeSlow(fact, ms),
  };
  const app = render(<CheckApp state={state} verbose={opts.verbose} fixPlatform={fixPlatformOf()} />);
  try {
    const run = await prepareRun({ ...input, events });
    state.planned(run.checks);
    const results = await executeRun(run, { ...input, events });
    const report = buildReport({
      command: 'check',
      results,
      failOn: opts.failOn,
      facts: run.store.snapshot(),
      probeDurationsMs: run.store.durationsMs,
      durationMs: performance.now() - opts.started,
    });
    state.done(report);
    await app.waitUntilExit();
    return report.summary.exitCode;
  } catch (error) {
    app.unmount();
    throw error;
  }
}
