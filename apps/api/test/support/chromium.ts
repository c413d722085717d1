import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's build (`apt-get install chromium`), installed by .ci/run: playwright-core downloads no browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** A name this browser resolves to 127.0.0.1 (and nothing else does: `.test` is reserved, RFC 2606). */
export const APP_HOST_NAME = 'api.prepnexus.test';

/**
 * A headless Chromium, or a failure that says how to get one: a browser test that skips itself when
 * the browser is missing would pass on exactly the machines where it checks nothing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}, and the browser test needs it. ` +
        'Install it with: apt-get update && apt-get install -y --no-install-recommends chromium',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Loopback is a "potentially trustworthy" origin, which browsers treat more leniently (no upgrade
    // to https, for one): the tests reach the local app by a name, as people reach a deployment.
    args: [`--host-resolver-rules=MAP ${APP_HOST_NAME} 127.0.0.1`],
  });
}
