// Runs the runtime tier alone, without the test cluster's global setup (these tests need no Kubernetes):
//   npx vitest run -c test/runtime/vitest.config.ts [file]
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/runtime/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
