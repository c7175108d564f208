// Makes one supervisor record for enterprise policy (`supervisors` in storage.managed):
//   node scripts/supervisor-pin.mjs 王店长 246810
// prints {"name","salt","hash","iterations"}; the PIN itself is never stored anywhere.
import { webcrypto } from 'node:crypto';

const [name, pin] = process.argv.slice(2);
if (!name || !pin || !/^\d{4,12}$/.test(pin)) {
  console.error('usage: node scripts/supervisor-pin.mjs <name> <pin of 4–12 digits>');
  process.exit(2);
}
const iterations = 150_000; // as shared/background/pin.ts PBKDF2_ITERATIONS
const salt = webcrypto.getRandomValues(new Uint8Array(16));
const key = await webcrypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
const bits = await webcrypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
const hex = Buffer.from(bits).toString('hex');
console.log(JSON.stringify({ name, salt: Buffer.from(salt).toString('base64'), hash: hex, iterations }));
