// Self-signed TLS certificate for the portal simulators, covering the five real portal hostnames.
// Made with the openssl CLI once per process; the PEM text is kept in memory and the temp dir is
// removed at once, so nothing is left behind even if the process dies.
import { execFile } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PORTAL_HOSTS } from './portals.mjs';

const execFileAsync = promisify(execFile);

/** Extra simulated hosts named under this domain get a certificate valid for their name too. */
export const EXTRA_HOSTS_WILDCARD = '*.tenderbridge.test';

/**
 * @typedef {object} PortalCert
 * @property {string} key PEM private key (EC P-256).
 * @property {string} cert PEM certificate, SAN = the five portal hostnames and
 *   `*.tenderbridge.test` (name extra simulated hosts under it: see launchBrowser's extraHosts).
 * @property {string} spkiHash base64 SHA-256 of the certificate's SubjectPublicKeyInfo (DER), the
 *   format `--ignore-certificate-errors-spki-list` expects.
 */

/** @type {Promise<PortalCert> | undefined} */
let pending;

/**
 * The process-wide portal certificate (generated on first call, ~20 ms).
 * @returns {Promise<PortalCert>}
 */
export function getPortalCert() {
  pending ??= makeCert().catch((err) => {
    pending = undefined; // let a later call retry rather than cache the failure
    throw err;
  });
  return pending;
}

/** @returns {Promise<PortalCert>} */
async function makeCert() {
  const dir = await mkdtemp(join(tmpdir(), 'tb-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    const san = [...PORTAL_HOSTS, EXTRA_HOSTS_WILDCARD].map((h) => `DNS:${h}`).join(',');
    // EC keys generate instantly; RSA-2048 costs ~100 ms on a busy 2-core box.
    await execFileAsync('openssl', [
      'req', '-x509', '-nodes',
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-keyout', keyPath, '-out', certPath,
      '-days', '30',
      '-subj', '/CN=TenderBridge e2e portals',
      '-addext', `subjectAltName=${san}`,
      '-addext', 'basicConstraints=critical,CA:FALSE',
      '-addext', 'extendedKeyUsage=serverAuth',
    ]);
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    const spkiDer = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    const spkiHash = createHash('sha256').update(spkiDer).digest('base64');
    return { key, cert, spkiHash };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
