// Builds the Firefox target (`wxt build -b firefox`: MV3, see docs/firefox.md) and checks its
// manifest against the rules below and against the Chrome build's. Part of `npm test`; exits 1
// on any failure. Unit tests are browser-agnostic and are not run again here.
//
//   node scripts/check-firefox.mjs [--no-build]     (--no-build: check .output/firefox-mv3 as it is)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PORTAL_HOSTS } from '../e2e/harness/portals.mjs';

const root = new URL('..', import.meta.url).pathname;
const firefoxDir = join(root, '.output/firefox-mv3');
const chromeDir = join(root, '.output/chrome-mv3');
/** The add-on id policies.json and docs/deploy.md name; changing it orphans installed copies. */
const GECKO_ID = 'tenderbridge@tenderbridge.local';
/** MV3 host permissions are granted at install from Firefox 127; ESR 128 is the oldest we accept. */
const MIN_FIREFOX = 128;
const LOCALES = ['zh_CN', 'en'];

const failures = [];
let passed = 0;
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failures.push(detail ? `${name}: ${detail}` : name);
}

function build(args, label) {
  const started = Date.now();
  const result = spawnSync('npx', ['wxt', 'build', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: 'true' } });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    console.error(`check-firefox: ${label} build failed (exit ${result.status})`);
    process.exit(1);
  }
  console.log(`check-firefox: ${label} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The Chrome manifest is the reference; rebuilt only when missing or older than its inputs. */
function chromeIsStale() {
  const manifest = join(chromeDir, 'manifest.json');
  if (!existsSync(manifest)) return true;
  const built = statSync(manifest).mtimeMs;
  return ['wxt.config.ts', 'providers/registry.ts', 'package.json'].some((f) => statSync(join(root, f)).mtimeMs > built);
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const sameSet = (a, b) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const subset = (a, b) => a.filter((x) => !b.includes(x));

if (!process.argv.includes('--no-build')) {
  build(['-b', 'firefox'], 'Firefox');
  if (chromeIsStale()) build([], 'Chrome (reference)');
}

const ff = readJson(join(firefoxDir, 'manifest.json'));
const chrome = readJson(join(chromeDir, 'manifest.json'));
const fileExists = (path) => existsSync(join(firefoxDir, path.replace(/^\//, '')));

// Structure
check('manifest_version is 3', ff.manifest_version === 3, String(ff.manifest_version));
check('name and description are localized', ff.name === '__MSG_extName__' && ff.description === '__MSG_extDescription__', `${ff.name} / ${ff.description}`);
check('default_locale is zh_CN', ff.default_locale === 'zh_CN', ff.default_locale);
check('same version as the Chrome build', ff.version === chrome.version, `${ff.version} vs ${chrome.version}`);

// Identity
const gecko = ff.browser_specific_settings?.gecko ?? {};
check('gecko id', gecko.id === GECKO_ID, JSON.stringify(gecko.id));
const minVersion = Number.parseFloat(gecko.strict_min_version ?? '0');
check(`strict_min_version ≥ ${MIN_FIREFOX}`, minVersion >= MIN_FIREFOX, JSON.stringify(gecko.strict_min_version));
check('no key (Chrome-only: fixes the Chrome id)', !('key' in ff));
check('no update_url in the manifest (Firefox self-hosting uses gecko.update_url)', !('update_url' in ff));

// Permissions: never broader than Chrome's
const perms = ff.permissions ?? [];
check('permissions ⊆ Chrome permissions', subset(perms, chrome.permissions ?? []).length === 0, subset(perms, chrome.permissions ?? []).join(', '));
check('permissions carry no host patterns (MV3: host_permissions)', !perms.some((p) => p.includes('://') || p === '<all_urls>'), perms.join(', '));
const hosts = ff.host_permissions ?? [];
check('host_permissions ⊆ Chrome host_permissions', subset(hosts, chrome.host_permissions ?? []).length === 0, subset(hosts, chrome.host_permissions ?? []).join(', '));
check('no <all_urls> / wildcard host at install', !hosts.some((h) => h === '<all_urls>' || /^\*:|:\/\/\*\//.test(h)), hosts.join(', '));
const optionalHosts = [...(ff.optional_host_permissions ?? []), ...(ff.optional_permissions ?? []).filter((p) => p.includes('://'))];
const chromeOptionalHosts = [...(chrome.optional_host_permissions ?? []), ...(chrome.optional_permissions ?? []).filter((p) => p.includes('://'))];
check('optional hosts ⊆ Chrome optional hosts', subset(optionalHosts, chromeOptionalHosts).length === 0, subset(optionalHosts, chromeOptionalHosts).join(', '));
const optionalApis = (ff.optional_permissions ?? []).filter((p) => !p.includes('://'));
check('optional API permissions ⊆ Chrome', subset(optionalApis, chrome.optional_permissions ?? []).length === 0, optionalApis.join(', '));

// Content scripts: exactly the five portals, everywhere the same
const portalPatterns = PORTAL_HOSTS.map((host) => `https://${host}/*`);
const scripts = ff.content_scripts ?? [];
check('content scripts present', scripts.length > 0);
for (const [i, cs] of scripts.entries()) {
  check(`content_scripts[${i}].matches = the five portals`, sameSet(cs.matches ?? [], portalPatterns), (cs.matches ?? []).join(', '));
  check(`content_scripts[${i}] files exist`, (cs.js ?? []).length > 0 && (cs.js ?? []).every(fileExists), (cs.js ?? []).join(', '));
  check(`content_scripts[${i}] no exclude/extra globs`, !cs.include_globs && !cs.exclude_matches && !cs.match_about_blank, JSON.stringify(cs));
}
const chromeMatches = (chrome.content_scripts ?? []).flatMap((cs) => cs.matches ?? []);
check('content-script matches equal Chrome’s', sameSet([...new Set(scripts.flatMap((cs) => cs.matches ?? []))], [...new Set(chromeMatches)]));
check('host_permissions = the five portals', sameSet(hosts, portalPatterns), hosts.join(', '));

// Background: Firefox MV3 runs an event page (background.scripts), not a service worker
const bg = ff.background ?? {};
check('background.scripts present', Array.isArray(bg.scripts) && bg.scripts.length > 0 && bg.scripts.every(fileExists), JSON.stringify(bg));
check('no background.service_worker (unsupported in Firefox)', !('service_worker' in bg), JSON.stringify(bg));
check('background not persistent (MV3)', bg.persistent !== true, JSON.stringify(bg));

// Pages
check('action popup exists', Boolean(ff.action?.default_popup) && fileExists(ff.action.default_popup), JSON.stringify(ff.action));
check('action title localized', typeof ff.action?.default_title === 'string' && ff.action.default_title.startsWith('__MSG_'), JSON.stringify(ff.action?.default_title));
check('options page exists', Boolean(ff.options_ui?.page) && fileExists(ff.options_ui.page), JSON.stringify(ff.options_ui));

// Locales
const messages = {};
for (const lang of LOCALES) {
  const path = join(firefoxDir, '_locales', lang, 'messages.json');
  check(`_locales/${lang}/messages.json present`, existsSync(path));
  messages[lang] = existsSync(path) ? readJson(path) : {};
}
const msgKeys = [...JSON.stringify(ff).matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)].map((m) => m[1]);
for (const lang of LOCALES) {
  const missing = msgKeys.filter((k) => !messages[lang][k]);
  check(`every __MSG_ in the manifest resolves in ${lang}`, missing.length === 0, missing.join(', '));
}

// Enterprise policy: Firefox has no storage.managed_schema; policies.json "3rdparty" feeds storage.managed
check('no storage.managed_schema (Chrome-only key)', !ff.storage, JSON.stringify(ff.storage));
check('Chrome build keeps its storage.managed_schema', chrome.storage?.managed_schema === 'managed_schema.json', JSON.stringify(chrome.storage));

// Nothing Chrome-only left over
for (const key of ['externally_connectable', 'side_panel', 'offline_enabled', 'minimum_chrome_version', 'oauth2', 'export', 'import']) {
  check(`no Chrome-only key ${key}`, !(key in ff));
}

if (failures.length) {
  console.error(`check-firefox: ${failures.length} failed, ${passed} passed`);
  for (const f of failures) console.error(`  ✗ ${f}`);
  process.exit(1);
}
console.log(`check-firefox: all ${passed} checks passed (.output/firefox-mv3, Firefox ≥ ${gecko.strict_min_version}, id ${gecko.id})`);
