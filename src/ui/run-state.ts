import type { Check } from '../core/check.js';
import type { CheckResult } from '../core/runner.js';
import type { ReportDocument } from '../report/document.js';

export interface RunView {
  running: { id: string; title: string; category: string }[];
  finished: CheckResult[];
  slowProbes: { fact: string; elapsedMs: number }[];
  report?: ReportDocument;
}

/** A tiny observable holding what the live UI shows; runner events feed it. */
export class RunState {
  private view: RunView = { running: [], finished: [], slowProbes: [] };
  private readonly listeners = new Set<() => void>();

  get = (): RunView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  checkStarted(check: Check): void {
    this.update({ running: [...this.view.running, { id: check.id, title: check.title, category: check.category }] });
  }

  checkFinished(result: CheckResult): void {
    this.update({ running: this.view.running.filter((r) => r.id !== result.id), finished: [...this.view.finished, result] });
  }

  probeSlow(fact: string, elapsedMs: number): void {
    this.update({ slowProbes: [...this.view.slowProbes.filter((p) => p.fact !== fact), { fact, elapsedMs }] });
  }

  done(report: ReportDocument): void {
    this.update({ report, running: [], slowProbes: [] });
  }

  private update(patch: Partial<RunView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l();
  }
}
