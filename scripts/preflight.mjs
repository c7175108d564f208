// Makes a fresh clone runnable with one command: installs the npm dependencies when they are
// missing or older than the lock file, and checks for Debian's Chromium (installing it when
// running as root, as CI does). Never lets any tool download a browser of its own.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const run = (command) => execSync(command, { cwd: root, stdio: 'inherit', env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: 'true' } });

const installed = `${root}node_modules/.package-lock.json`;
const lock = `${root}package-lock.json`;
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log('[preflight] installing dependencies (npm ci)…');
  run('npm ci --no-audit --no-fund');
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const zhLocale = '/usr/lib/chromium/locales/zh-CN.pak';
if (!existsSync(chromium) || (!process.env.CHROMIUM_PATH && !existsSync(zhLocale))) {
  if (process.getuid?.() === 0) {
    // chromium-l10n: the zh-CN UI locale the extension speaks by default; wqy: a CJK font.
    console.log('[preflight] installing Debian Chromium (with zh-CN locale and a CJK font)…');
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n fonts-wqy-microhei');
  } else {
    console.error(`[preflight] Chromium not found at ${chromium}. Install it: sudo apt-get install -y chromium (or set CHROMIUM_PATH).`);
    process.exit(1);
  }
}
