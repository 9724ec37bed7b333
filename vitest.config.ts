import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Lab tests bring up real hosts and share the machine's two cores: one file at a time keeps
    // their timing honest; unit tests are fast enough not to need more.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
