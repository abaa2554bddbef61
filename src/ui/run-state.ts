import type { Check } from '../core/check.js';
import type { CheckResult } from '../core/runner.js';
import type { ReportDocument } from '../report/document.js';

export interface PendingCheck {
  id: string;
  title: string;
  category: string;
  /** Finished, but shown in place until every check before it has finished too. */
  result?: CheckResult;
}

export interface RunView {
  /** Finished rows in the report's order, printed once and never redrawn. */
  committed: CheckResult[];
  pending: PendingCheck[];
  slowProbes: { fact: string; elapsedMs: number }[];
  report?: ReportDocument;
}

/**
 * What the live UI shows, fed by runner events. Rows are committed in the declared order (so the
 * scrollback reads grouped by category, like the plain output), whatever order checks finish in.
 */
export class RunState {
  private view: RunView = { committed: [], pending: [], slowProbes: [] };
  private readonly listeners = new Set<() => void>();

  get = (): RunView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  planned(checks: readonly Check[]): void {
    this.update({ pending: checks.map((c) => ({ id: c.id, title: c.title, category: c.category })) });
  }

  checkFinished(result: CheckResult): void {
    const pending = this.view.pending.map((p) => (p.id === result.id ? { ...p, result } : p));
    const ready = pending.findIndex((p) => !p.result);
    const cut = ready === -1 ? pending.length : ready;
    this.update({
      committed: [...this.view.committed, ...pending.slice(0, cut).map((p) => p.result!)],
      pending: pending.slice(cut),
    });
  }

  probeSlow(fact: string, elapsedMs: number): void {
    this.update({ slowProbes: [...this.view.slowProbes.filter((p) => p.fact !== fact), { fact, elapsedMs }] });
  }

  /** The run is over: commit whatever is left (plugin load errors come last) and show the summary. */
  done(report: ReportDocument): void {
    // The report lists results in the same order, so what is not yet committed is its tail.
    const rest = report.results.slice(this.view.committed.length);
    this.update({ report, committed: [...this.view.committed, ...rest], pending: [], slowProbes: [] });
  }

  private update(patch: Partial<RunView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l();
  }
}
