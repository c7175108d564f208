import { defineConfig } from 'wxt';
import { portalMatchPatterns } from './providers/registry';
import { localeLanguages, mergedMessages } from './scripts/locales.mjs';

// Public half of the extension's signing key: fixes the extension id
// (eobdeocgefloaciaacgmcmnlanfnpgek) on every machine, so enterprise policy and tests can name it.
const MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA6otlGngt7T3plxGVvMWmrWxoskp1WYfQnnNeKCUcPqKypPMPYY5lm/k7PyPshwwkhAHVsVF5c3h6iH8YBIYPJh1abb3MHZAtIUHs9+Y3Zgl+VuvMew1uX7zMZ4HBALaTg6BwlJS4MycfWlECg33JIQ5U9ca6JlpHLEQXsraRXH3YlmTYiIaAbwWNV9vqYvHsA5Aw/sEPZfVaB0OSROOqblhRXFJnO2ZjiJjg0qGtktB/Pb3wEunR9ur+x3P2tO1hRIPfAr55ShTnGnpi5Z2dF3f8BZPJCr+9zD0Oxst57F727krFOc+QI73x2eV9xQtnT6i+TJg9FBA79v7NnQgFLQIDAQAB';

export default defineConfig({
  // Firefox too is built as MV3 (WXT's default for Firefox is MV2): the code uses browser.action
  // and MV3 host permissions, and Firefox ≥ 127 grants MV3 host permissions at install. See
  // docs/firefox.md. Chrome is MV3 either way.
  manifestVersion: 3,
  // `wxt zip -b firefox` would also zip the whole source tree (for an AMO review). Off by
  // default; `npx wxt zip -b firefox --sources` makes it when a submission needs it.
  zip: { zipSources: false },
  // scripts/bundle-report.mjs builds with source maps to see what the content script is made of.
  ...(process.env.TB_SOURCEMAP === '1' ? { outDir: '.output/bundle-report' } : {}),
  vite: () => (process.env.TB_SOURCEMAP === '1' ? { build: { sourcemap: true } } : {}),
  hooks: {
    // locales/<lang>/*.json → _locales/<lang>/messages.json
    'build:publicAssets': (_wxt, assets) => {
      for (const lang of localeLanguages() as string[]) {
        assets.push({ relativeDest: `_locales/${lang}/messages.json`, contents: JSON.stringify(mergedMessages(lang)) });
      }
    },
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'zh_CN',
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'tenderbridge@tenderbridge.local', strict_min_version: '128.0' } } }
      : { key: MANIFEST_KEY }),
    // storage: settings, outbox and audit; alarms: the outbox retries after a service-worker restart.
    // notifications: the alert when a settlement waits too long for 下账 (settings.pendingAlertMinutes)
    permissions: ['storage', 'alarms', 'notifications'],
    // The five portals only. No optional host permissions: the Yingke bridge answers CORS for the
    // extension's origin (bridge spec revision 2), so posting needs no permission for its host,
    // and an `http://*/*` grant could never be talked out of the cashier.
    host_permissions: portalMatchPatterns,
    // Chrome/Edge only: Firefox has no managed_schema key (policies.json "3rdparty" feeds storage.managed there).
    ...(browser === 'firefox' ? {} : { storage: { managed_schema: 'managed_schema.json' } }),
    action: { default_title: '__MSG_extName__' },
  }),
});
