// `npx tsx test/e2e/install-host.ts`: installs code-server for the e2e tests (the test run does this too
// when it is missing); useful to warm a CI cache or to time the install on its own.
import { ensureHostInstalled } from './harness/hostInstall';

const started = Date.now();
ensureHostInstalled((line) => console.log(line)).then(
  () => console.log(`e2e host ready (${((Date.now() - started) / 1000).toFixed(0)} s)`),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
