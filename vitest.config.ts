import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // onnxruntime-node breaks under vmThreads (cross-realm typed arrays); forks is the safe default.
    pool: 'forks',
    testTimeout: 30_000,
  },
});
