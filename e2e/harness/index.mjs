// The e2e harness in one import: `import { startPortalServer, launchBrowser, gunScan } from './harness/index.mjs'`.
export * from './portals.mjs';
export * from './certs.mjs';
export * from './portal-server.mjs';
export * from './browser.mjs';
export * from './keys.mjs';
export * from './minimal.mjs';
export * from './page-log.mjs';
