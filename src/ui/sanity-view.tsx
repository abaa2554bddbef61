import { Box, render, Text } from 'ink';
import { useSyncExternalStore } from 'react';
import { lossChart } from './loss-chart.js';
import { progressText } from './progress-text.js';

export interface SanityViewState {
  losses: number[];
  done: number;
  total: number;
  detail: string;
}

/** Holds the latest state; the view re-renders on every change. */
export class SanityViewStore {
  state: SanityViewState = { losses: [], done: 0, total: 0, detail: '' };
  private readonly listeners = new Set<() => void>();
  subscribe = (l: () => void) => (this.listeners.add(l), () => void this.listeners.delete(l));
  snapshot = () => this.state;
  set(next: SanityViewState): void {
    this.state = next;
    for (const l of this.listeners) l();
  }
}

/** Live loss curve above the shared progress bar text. */
export function SanityView({ title, store, startedMs }: { title: string; store: SanityViewStore; startedMs: number }) {
  const s = useSyncExternalStore(store.subscribe, store.snapshot);
  return (
    <Box flexDirection="column">
      <Text>{lossChart(s.losses)}</Text>
      <Text>
        {title} {progressText({ done: s.done, total: s.total, unit: 'steps', detail: s.detail }, performance.now() - startedMs)}
      </Text>
    </Box>
  );
}

/** For `nnunet-doctor sanity` at a terminal. */
export function startSanityView(title: string): { update(state: SanityViewState): void; stop(): Promise<void> } {
  const store = new SanityViewStore();
  const app = render(<SanityView title={title} store={store} startedMs={performance.now()} />);
  return {
    update: (next) => store.set(next),
    async stop() {
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
