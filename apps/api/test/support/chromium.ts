import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's build (`apt-get install chromium`), installed by .ci/run: playwright-core downloads no browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

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
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
}
