import { browser } from 'wxt/browser';
import { z } from 'zod';
import { readManagedPolicy } from '@/shared/settings';
import type { AuditLog } from '@/shared/audit';
import type { SupervisorStatus } from '@/shared/messages';
import { VAULT_KEYS, vaultGet, vaultSet } from './vault';

/**
 * Supervisor identity: a name and a PIN, kept as a salted PBKDF2-SHA-256 hash. Supervisors come
 * from policy (`supervisors` in storage.managed: IT computes the records with
 * `node scripts/supervisor-pin.mjs <name> <pin>`) or, on first use, from IT on the log page (kept
 * in the background's vault). A verified PIN signs that one page in for a while; the supervisor
 * actions of that page are then done — and audited — as that supervisor, whatever "by" the page
 * sends. Wrong PINs are counted here (not on the page) and persisted: MAX_FAILURES in a row lock
 * PIN entry for LOCKOUT_MS.
 */
export const PBKDF2_ITERATIONS = 150_000;
export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60_000;
/** how long one PIN entry signs a page in */
export const SESSION_MS = 15 * 60_000;

export const SupervisorRecordSchema = z.object({
  name: z.string().trim().min(1).max(32),
  /** base64 */
  salt: z.string().min(8).max(200),
  /** hex of the derived 256 bits */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  iterations: z.int().min(10_000).max(10_000_000).default(PBKDF2_ITERATIONS),
});
export type SupervisorRecord = z.infer<typeof SupervisorRecordSchema>;
const SupervisorListSchema = z.array(SupervisorRecordSchema).max(50);

const FailuresSchema = z.object({ count: z.int().min(0), lockedUntil: z.number().nullable() });
type Failures = z.infer<typeof FailuresSchema>;

function base64(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) out[i] = raw.charCodeAt(i);
  return out;
}

export async function derivePinHash(pin: string, saltBase64: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(saltBase64), iterations }, key, 256);
  return [...new Uint8Array(bits)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function makeSupervisorRecord(name: string, pin: string): Promise<SupervisorRecord> {
  const salt = base64(crypto.getRandomValues(new Uint8Array(16)));
  return { name: name.trim(), salt, hash: await derivePinHash(pin, salt), iterations: PBKDF2_ITERATIONS };
}

/** Compares without an early exit on the first differing character. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export interface PinDeps {
  audit: AuditLog;
  /** storage.managed's `supervisors` (unvalidated) */
  policySupervisors: () => Promise<unknown>;
  now?: () => number;
  /** where page sessions live (the worker may be stopped between messages): storage.session */
  sessions: {
    get(key: string): Promise<unknown>;
    set(key: string, value: unknown): Promise<void>;
  };
}

export class PinRefusedError extends Error {}

export class SupervisorPins {
  constructor(private readonly deps: PinDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Policy's list wins whole when it is set and valid; otherwise the list enrolled here. */
  async supervisors(): Promise<{ list: SupervisorRecord[]; byPolicy: boolean }> {
    const policy = SupervisorListSchema.safeParse(await this.deps.policySupervisors());
    if (policy.success && policy.data.length > 0) return { list: policy.data, byPolicy: true };
    const local = SupervisorListSchema.safeParse(await vaultGet(VAULT_KEYS.supervisors));
    return { list: local.success ? local.data : [], byPolicy: false };
  }

  private async failures(): Promise<Failures> {
    const parsed = FailuresSchema.safeParse(await vaultGet(VAULT_KEYS.pinFailures));
    return parsed.success ? parsed.data : { count: 0, lockedUntil: null };
  }

  async lockedUntil(): Promise<number | null> {
    const { lockedUntil } = await this.failures();
    return lockedUntil !== null && lockedUntil > this.now() ? lockedUntil : null;
  }

  private sessionKey(pageKey: string): string {
    return `supervisor-session:${pageKey}`;
  }

  /** The supervisor this page is signed in as, or null. */
  async current(pageKey: string): Promise<string | null> {
    const parsed = z.object({ name: z.string(), until: z.number() }).safeParse(await this.deps.sessions.get(this.sessionKey(pageKey)));
    if (!parsed.success || parsed.data.until <= this.now()) return null;
    const { list } = await this.supervisors();
    // a supervisor removed meanwhile is signed out
    return list.some((s) => s.name === parsed.data.name) ? parsed.data.name : null;
  }

  async status(pageKey: string): Promise<SupervisorStatus> {
    const { list, byPolicy } = await this.supervisors();
    return { supervisors: list.map((s) => s.name), byPolicy, lockedUntil: await this.lockedUntil(), current: await this.current(pageKey) };
  }

  async verify(pageKey: string, name: string, pin: string): Promise<{ ok: boolean; name?: string; lockedUntil?: number; attemptsLeft?: number }> {
    const locked = await this.lockedUntil();
    if (locked !== null) {
      await this.deps.audit.append({ type: 'supervisor.pinLocked', code: 'LOCKED', detail: { name, lockedUntil: locked } });
      return { ok: false, lockedUntil: locked };
    }
    const { list } = await this.supervisors();
    const record = list.find((s) => s.name === name.trim());
    // the hash is computed even for an unknown name, so timing does not tell names apart
    const hash = await derivePinHash(pin, record?.salt ?? 'AAAAAAAAAAAAAAAAAAAAAA==', record?.iterations ?? PBKDF2_ITERATIONS);
    if (record && sameText(hash, record.hash)) {
      await vaultSet(VAULT_KEYS.pinFailures, { count: 0, lockedUntil: null });
      await this.deps.sessions.set(this.sessionKey(pageKey), { name: record.name, until: this.now() + SESSION_MS });
      await this.deps.audit.append({ type: 'supervisor.signedIn', detail: { name: record.name } });
      return { ok: true, name: record.name };
    }
    const before = await this.failures();
    const count = before.count + 1;
    const lockedUntil = count >= MAX_FAILURES ? this.now() + LOCKOUT_MS : null;
    await vaultSet(VAULT_KEYS.pinFailures, { count: lockedUntil ? 0 : count, lockedUntil });
    await this.deps.audit.append({ type: 'supervisor.pinWrong', code: lockedUntil ? 'LOCKED' : 'WRONG_PIN', detail: { name, failures: count, lockedUntil } });
    return lockedUntil ? { ok: false, lockedUntil } : { ok: false, attemptsLeft: MAX_FAILURES - count };
  }

  /**
   * Adds a supervisor kept on this PC: the first one on first use (nobody set yet, no policy), or
   * another one by a supervisor signed in on this page. Never while policy sets the list.
   */
  async enroll(pageKey: string, name: string, pin: string): Promise<SupervisorStatus> {
    const { list, byPolicy } = await this.supervisors();
    const by = await this.current(pageKey);
    if (byPolicy) throw new PinRefusedError('SUPERVISORS_BY_POLICY: supervisors are set by policy');
    if (list.length > 0 && by === null) throw new PinRefusedError('SUPERVISOR_REQUIRED: a signed-in supervisor adds others');
    const record = await makeSupervisorRecord(name, pin);
    const next = [...list.filter((s) => s.name !== record.name), record];
    await vaultSet(VAULT_KEYS.supervisors, next);
    await this.deps.audit.append({ type: 'supervisor.enrolled', detail: { name: record.name, by: by ?? 'first-use' } });
    return this.status(pageKey);
  }

  /** The signed-in supervisor for a supervisor action, or a refusal (audited). */
  async require(pageKey: string, action: string): Promise<string> {
    const name = await this.current(pageKey);
    if (name !== null) return name;
    await this.deps.audit.append({ type: 'supervisor.refused', code: 'PIN_REQUIRED', detail: { action } });
    throw new PinRefusedError('PIN_REQUIRED: a supervisor PIN is needed for this');
  }
}

const byAudit = new WeakMap<AuditLog, SupervisorPins>();

/** The background's one PIN keeper (policy from storage.managed, sign-ins in storage.session). */
export function backgroundPins(audit: AuditLog): SupervisorPins {
  let pins = byAudit.get(audit);
  if (!pins) {
    pins = new SupervisorPins({
      audit,
      policySupervisors: async () => ((await readManagedPolicy()) as { supervisors?: unknown } | null)?.supervisors,
      sessions: {
        // storage.session is closed to content scripts by default
        get: async (key) => (await browser.storage.session.get(key))[key],
        set: (key, value) => browser.storage.session.set({ [key]: value }),
      },
    });
    byAudit.set(audit, pins);
  }
  return pins;
}
