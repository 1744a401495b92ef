// Runs the TCK test alone, without the test cluster's global setup (it needs no Kubernetes):
//   npx vitest run -c test/tck/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/tck/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
