/**
 * Global setup of the `e2e` project (vitest.config.ts): finds the browser the portal's browser tests
 * drive. Debian's Chromium (`/usr/bin/chromium`, or `IRP_BRIDGE_CHROMIUM`) is an apt package that a
 * fresh clone may not have: then the browser tests are skipped with one line saying so, and the
 * portal's HTTP-level tests still run. Where CI installed it (`IRP_BRIDGE_REQUIRE_BROWSER=1`, set by
 * .ci/run) its absence fails the run, as a missing librdkafka binding does (test/support/global-setup.ts).
 */
import { accessSync, constants } from 'node:fs';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium executable for the browser tests, or '' where there is none. */
    chromium: string;
  }
}

const wanted = () => process.env.IRP_BRIDGE_CHROMIUM?.trim() || '/usr/bin/chromium';

export function chromiumPath(): string | undefined {
  const path = wanted();
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

export default function setup(project: TestProject): void {
  const path = chromiumPath();
  if (!path) {
    if (process.env.IRP_BRIDGE_REQUIRE_BROWSER === '1')
      throw new Error(
        'IRP_BRIDGE_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing: the portal browser tests would be skipped',
      );
    console.log(
      'irp-bridge: chromium is not installed (apt-get install chromium): portal browser tests skipped',
    );
  }
  project.provide('chromium', path ?? '');
}
