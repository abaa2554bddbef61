import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { lossChart } from '../../src/ui/loss-chart.js';
import { SanityView, SanityViewStore } from '../../src/ui/sanity-view.js';

const tick = () => new Promise((r) => setTimeout(r, 30));

describe('sanity live view', () => {
  it('redraws the loss curve and the progress bar as steps arrive', async () => {
    const store = new SanityViewStore();
    const app = render(<SanityView title="sanity training" store={store} startedMs={performance.now()} />);
    store.set({ losses: [1.3], done: 1, total: 4, detail: 'loss 1.3000' });
    await tick();
    expect(app.lastFrame()).toContain('1/4 steps');
    expect(app.lastFrame()).not.toContain('┤');
    store.set({ losses: [1.3, 1.1, 0.8], done: 3, total: 4, detail: 'loss 0.8000' });
    await tick();
    expect(app.lastFrame()).toContain('3/4 steps · loss 0.8000');
    expect(app.lastFrame()).toContain('1.300');
    app.unmount();
  });

  it('plots only finite losses and downsamples long runs to the width', () => {
    expect(lossChart([1, Number.NaN])).toBe('');
    const chart = lossChart(Array.from({ length: 500 }, (_, i) => 1 / (i + 1)), 4, 50);
    expect(chart.split('\n')[0]!.length).toBeLessThanOrEqual(8 + 2 + 51);
  });
});
