// Real enterprise policy for a test browser, without touching the machine's /etc: Chromium runs in
// a private mount namespace where /etc/chromium is a temporary copy holding
// policies/managed/tenderbridge.json. Debian's Chromium reads its managed policy there, including
// the "3rdparty" → extensions → <id> policy that chrome.storage.managed serves the extension.
// puppeteer loads the unpacked extension after the browser started, when the first policy load is
// over; rewriting the file (`refresh`) makes Chromium reload it, as it does when IT edits a policy.
// Needs unshare + mount (root, as on this test machine).
import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_PATH } from '../harness/browser.mjs';

/** True when this machine can give a browser a private /etc/chromium. */
export function canUsePolicyNamespace() {
  return spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0;
}

/**
 * Writes the policy and a wrapper executable to pass as launchBrowser's `executablePath`.
 * @param {string} extensionId
 * @param {Record<string, unknown>} extensionPolicy what chrome.storage.managed should hold
 */
export async function chromiumWithPolicy(extensionId, extensionPolicy) {
  const dir = await mkdtemp(join(tmpdir(), 'tb-policy-'));
  const etc = join(dir, 'etc-chromium');
  if (existsSync('/etc/chromium')) await cp('/etc/chromium', etc, { recursive: true });
  await mkdir(join(etc, 'policies', 'managed'), { recursive: true });
  const file = join(etc, 'policies', 'managed', 'tenderbridge.json');
  let version = 0;
  const write = () => writeFile(file, `${JSON.stringify({ '3rdparty': { extensions: { [extensionId]: extensionPolicy } } }, null, 2)}${'\n'.repeat(++version)}`);
  await write();
  const wrapper = join(dir, 'chromium-with-policy.sh');
  await writeFile(wrapper, `#!/bin/sh\nexec unshare -m --propagation private /bin/sh -c 'mount --bind "$0" /etc/chromium && exec ${CHROMIUM_PATH} "$@"' '${etc}' "$@"\n`);
  await chmod(wrapper, 0o755);
  return {
    executablePath: wrapper,
    /** rewrites the policy file: Chromium reloads it */
    refresh: write,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
