import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: tfjs-wasm and chromium tests are CPU-heavy, so keep workers at the core count.
    maxWorkers: 2,
  },
});
