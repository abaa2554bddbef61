import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // onnxruntime-node breaks under vmThreads (cross-realm typed arrays); forks is the safe default.
    pool: 'forks',
    testTimeout: 30_000,
    // The UI tests assert what a person at a terminal sees; under CI=true Ink draws only the last frame.
    // Tests that need CI semantics pass the variable to the process they start.
    env: { CI: 'false' },
  },
});
