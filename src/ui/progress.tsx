import { Spinner } from '@inkjs/ui';
import { Box, render, Static, Text, useApp } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { progressText, type ProgressUpdate } from './progress-text.js';

export type { ProgressUpdate } from './progress-text.js';

export interface ProgressHandle {
  update(progress: ProgressUpdate): void;
  /** A line kept above the bar (a problem found, a finished phase). */
  note(line: string): void;
  stop(): Promise<void>;
}

class ProgressStore {
  progress: ProgressUpdate = { done: 0, total: 0 };
  notes: string[] = [];
  finished = false;
  version = 0;
  private readonly listeners = new Set<() => void>();
  subscribe = (l: () => void) => (this.listeners.add(l), () => void this.listeners.delete(l));
  snapshot = () => this.version;
  change(mutate: () => void) {
    mutate();
    this.version += 1;
    for (const l of this.listeners) l();
  }
}

function ProgressView({ title, store, startedMs }: { title: string; store: ProgressStore; startedMs: number }) {
  useSyncExternalStore(store.subscribe, store.snapshot);
  const { exit } = useApp();
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, []);
  // Exit after the frame without the bar is drawn, so no spinner frame is left on screen.
  useEffect(() => {
    if (store.finished) exit();
  }, [store.finished, store.version, exit]);
  return (
    <Box flexDirection="column">
      <Static items={[...store.notes]}>{(n, i) => <Text key={i}>{n}</Text>}</Static>
      {!store.finished && (
        <Box gap={1}>
          <Spinner label={title} />
          <Text>{progressText(store.progress, now - startedMs)}</Text>
        </Box>
      )}
    </Box>
  );
}

/** A live progress bar for a person at a terminal; commands only call this in ink mode. */
export function startProgress(title: string, stdout: NodeJS.WriteStream = process.stdout): ProgressHandle {
  const store = new ProgressStore();
  const app = render(<ProgressView title={title} store={store} startedMs={performance.now()} />, { stdout, patchConsole: false });
  return {
    update: (p) => store.change(() => (store.progress = p)),
    note: (line) => store.change(() => store.notes.push(line)),
    async stop() {
      store.change(() => (store.finished = true));
      await app.waitUntilExit();
    },
  };
}
