import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { BrowserMultiFormatReader, type IScannerControls } from '@zxing/browser';
import { NotFoundException, type BinaryBitmap, type Result } from '@zxing/library';
import { parseTicket } from '@/shared/ticket';
import { RemoteScanAnswerSchema, type RemoteScan } from '@/shared/messages';
import { decodeImageBlob, NotAnImageError, readTicketBarcode, ticketDecodeHints } from '@/shared/image-scan';
import { perPortal, portalIdForOrigin, type PortalId } from '@/providers/registry';
import { portalNameKey, t, type MessageKey } from '@/shared/i18n';

/**
 * 「扫码」 in the popup: a Yingke ticket read with the camera, or from a picture (file or pasted),
 * for a cashier without a working scanner gun. The text read is sent to the portal tab's top frame
 * as 'scan.remote'; the content script takes it down the gun's path (background checks, audit,
 * overlay, fill), so the page behaves exactly as after a gun scan.
 *
 * The camera is asked for only when the cashier clicks it. A toolbar popup cannot show Chrome's
 * permission prompt, so the first time the popup offers to open this page in a tab, where the
 * prompt appears; once allowed, the extension keeps the permission and the popup works too.
 */

const PORTAL_NAME_KEYS: Readonly<Record<PortalId, MessageKey>> = perPortal((_, id) => portalNameKey(id));

/** The fields of tabs.Tab this needs (url is visible for our portal hosts without "tabs"). */
export interface TabLike {
  id?: number;
  url?: string;
  lastAccessed?: number;
  index?: number;
}

export type PortalTabChoice = { ok: true; tabId: number; portal: PortalId } | { ok: false; reason: 'not-portal' | 'no-portal-tab' };

export function portalOfTab(tab: TabLike | undefined): PortalId | undefined {
  if (!tab?.url) return undefined;
  try {
    return portalIdForOrigin(new URL(tab.url).origin);
  } catch {
    return undefined;
  }
}

/**
 * Where a scan goes.
 * - The active tab of this window, when it is a portal: the toolbar popup over the checkout page.
 * - When this page is itself a tab (`self`: popup.html opened in a tab, where the camera
 *   permission can be asked; also the e2e tests), the active tab is this page: then the portal tab
 *   of this window that was used most recently.
 * - Otherwise nothing: a toolbar popup over some other page says so, rather than filling a page
 *   the cashier is not looking at.
 */
export function choosePortalTab(active: TabLike | undefined, self: TabLike | undefined, windowTabs: readonly TabLike[]): PortalTabChoice {
  const activePortal = portalOfTab(active);
  if (active?.id !== undefined && activePortal) return { ok: true, tabId: active.id, portal: activePortal };
  if (!self) return { ok: false, reason: 'not-portal' };
  const candidates = windowTabs
    .filter((tab) => tab.id !== undefined && tab.id !== self.id && portalOfTab(tab))
    .sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0) || (b.index ?? 0) - (a.index ?? 0));
  const best = candidates[0];
  const portal = portalOfTab(best);
  return best?.id !== undefined && portal ? { ok: true, tabId: best.id, portal } : { ok: false, reason: 'no-portal-tab' };
}

type Tone = 'busy' | 'good' | 'bad' | '';
interface Status {
  /** machine-readable, on data-status (support, tests) */
  code: string;
  text: string;
  tone: Tone;
  /** a button to show under the message */
  action?: 'open-in-tab';
}

const status = (code: string, key: MessageKey, tone: Tone, substitution?: string | string[]): Status => ({
  code,
  text: t(key, substitution),
  tone,
});

/** Shown back to the cashier when a code is not a ticket: short, whatever it holds. */
function shortened(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 40 ? `${oneLine.slice(0, 40)}…` : oneLine;
}

/** The camera: @zxing/browser's video loop, with our QR + Code 128 readers (TRY_HARDER). */
class TicketCameraReader extends BrowserMultiFormatReader {
  constructor() {
    super(ticketDecodeHints() as Map<never, unknown>, { delayBetweenScanAttempts: 150, delayBetweenScanSuccess: 600 });
  }

  override decodeBitmap(bitmap: BinaryBitmap): Result {
    const result = readTicketBarcode(bitmap);
    if (!result) throw new NotFoundException();
    return result;
  }
}

async function cameraErrorStatus(error: unknown, inPopup: boolean): Promise<Status> {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
    return status('no-camera', 'sc_no_camera', 'bad');
  }
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    // Blocked for good, or merely not asked because a toolbar popup cannot show the prompt?
    const state = await navigator.permissions
      ?.query({ name: 'camera' as PermissionName })
      .then((s) => s.state)
      .catch(() => undefined);
    if (inPopup && state !== 'denied') return { ...status('camera-in-tab', 'sc_camera_in_tab', 'bad'), action: 'open-in-tab' };
    return status('camera-denied', 'sc_camera_denied', 'bad');
  }
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') {
    return status('camera-busy', 'sc_camera_busy', 'bad');
  }
  return status('camera-error', 'sc_camera_error', 'bad', error instanceof Error ? error.message : String(error));
}

/** Sends the text to the chosen portal tab; what to tell the cashier. */
async function sendToPortalTab(text: string): Promise<{ status: Status; sent: boolean; self: TabLike | undefined }> {
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  const self = await browser.tabs.getCurrent().catch(() => undefined);
  const windowTabs = self ? await browser.tabs.query({ currentWindow: true }) : [];
  const choice = choosePortalTab(active, self, windowTabs);
  if (!choice.ok) {
    const key = choice.reason === 'not-portal' ? 'sc_not_portal' : 'sc_no_portal_tab';
    return { status: status(choice.reason, key, 'bad'), sent: false, self };
  }
  const message: RemoteScan = { type: 'scan.remote', text };
  let answer;
  try {
    answer = RemoteScanAnswerSchema.safeParse(await browser.tabs.sendMessage(choice.tabId, message, { frameId: 0 }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // No content script in that page: it was loaded before the extension was installed or updated.
    if (/receiving end does not exist|message port closed/i.test(reason)) {
      return { status: status('reload-portal', 'sc_reload_portal', 'bad'), sent: false, self };
    }
    return { status: status('send-error', 'sc_send_error', 'bad', reason), sent: false, self };
  }
  if (!answer.success) return { status: status('reload-portal', 'sc_reload_portal', 'bad'), sent: false, self };
  if (!answer.data.accepted) return { status: status('not-ticket', 'sc_not_ticket', 'bad', shortened(text)), sent: false, self };
  // Opened as a tab: bring the portal to the front, where the cashier follows the fill.
  if (self) await browser.tabs.update(choice.tabId, { active: true }).catch(() => undefined);
  return { status: status('sent', 'sc_sent', 'good', t(PORTAL_NAME_KEYS[choice.portal])), sent: true, self };
}

const STYLE = `
.scan-panel { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 14px; margin-bottom: 10px; font-size: 15px; }
.scan-panel h2 { font-size: 17px; margin: 0 0 8px; }
.scan-panel .scan-actions { display: flex; gap: 8px; }
.scan-panel .scan-actions > * { flex: 1; text-align: center; font: inherit; font-size: 16px; padding: 8px; border-radius: 6px; border: 1px solid #409eff; background: #ecf5ff; color: #1f2328; cursor: pointer; }
.scan-panel .scan-actions > *[aria-disabled=true], .scan-panel .scan-actions button:disabled { opacity: .5; cursor: default; }
.scan-panel input[type=file] { position: absolute; width: 1px; height: 1px; opacity: 0; }
.scan-panel .hint { color: #59636e; margin: 6px 0 0; font-size: 14px; }
.scan-panel video[hidden] { display: none; }
.scan-panel video { display: block; width: 100%; max-height: 260px; margin-top: 8px; background: #000; border-radius: 6px; }
.scan-panel .scan-status { margin: 8px 0 0; font-weight: 600; }
.scan-panel .scan-status.good { color: #1a7f37; } .scan-panel .scan-status.bad { color: #d1242f; } .scan-panel .scan-status.busy { color: #59636e; }
.scan-panel .scan-status button { display: block; margin-top: 6px; font: inherit; padding: 6px 10px; border-radius: 6px; border: 1px solid #d0d7de; background: #f6f8fa; cursor: pointer; }
`;

export function ScanPanel() {
  const [current, setCurrent] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const [camera, setCamera] = useState<'off' | 'starting' | 'on'>('off');
  const videoRef = useRef<HTMLVideoElement>(null);
  const controlsRef = useRef<IScannerControls | null>(null);
  /** set once a camera frame gave a ticket: later frames of the same loop are ignored */
  const takenRef = useRef(false);

  const stopCamera = (): void => {
    controlsRef.current?.stop();
    controlsRef.current = null;
    setCamera('off');
  };
  useEffect(() => () => controlsRef.current?.stop(), []);

  const submit = async (text: string): Promise<void> => {
    const parsed = parseTicket(text);
    if (!parsed.ok && parsed.error === 'NOT_A_TICKET') {
      setCurrent(status('not-ticket', 'sc_not_ticket', 'bad', shortened(text)));
      return;
    }
    const outcome = await sendToPortalTab(text).catch(
      (error: unknown): { status: Status; sent: boolean; self: TabLike | undefined } => ({
        status: status('send-error', 'sc_send_error', 'bad', error instanceof Error ? error.message : String(error)),
        sent: false,
        self: undefined,
      }),
    );
    setCurrent(outcome.status);
    // The toolbar popup sits over the page: step aside so the cashier sees the portal's overlay.
    if (outcome.sent && !outcome.self) setTimeout(() => window.close(), 1200);
  };

  const readPicture = async (blob: Blob): Promise<void> => {
    if (busy) return;
    stopCamera();
    setBusy(true);
    setCurrent(status('reading', 'sc_reading', 'busy'));
    try {
      const found = await decodeImageBlob(blob);
      if (!found) setCurrent(status('no-code', 'sc_no_code', 'bad'));
      else await submit(found.text);
    } catch (error) {
      if (error instanceof NotAnImageError) setCurrent(status('not-image', 'sc_not_image', 'bad'));
      else setCurrent(status('no-code', 'sc_no_code', 'bad'));
    } finally {
      setBusy(false);
    }
  };

  const startCamera = async (): Promise<void> => {
    if (camera !== 'off') {
      stopCamera();
      setCurrent(null);
      return;
    }
    const inPopup = !(await browser.tabs.getCurrent().catch(() => undefined));
    if (!navigator.mediaDevices?.getUserMedia) {
      setCurrent(status('no-camera', 'sc_no_camera', 'bad'));
      return;
    }
    setCamera('starting');
    setCurrent(status('camera-starting', 'sc_camera_starting', 'busy'));
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
    } catch (error) {
      setCamera('off');
      setCurrent(await cameraErrorStatus(error, inPopup));
      return;
    }
    const video = videoRef.current;
    if (!video) {
      for (const track of stream.getTracks()) track.stop();
      setCamera('off');
      return;
    }
    takenRef.current = false;
    setCamera('on');
    setCurrent(status('camera-on', 'sc_camera_aim', 'busy'));
    try {
      controlsRef.current = await new TicketCameraReader().decodeFromStream(stream, video, (result, _error, controls) => {
        if (!result || takenRef.current) return;
        const text = result.getText();
        const parsed = parseTicket(text);
        if (!parsed.ok && parsed.error === 'NOT_A_TICKET') {
          // a goods barcode or a payment code in view: say so, keep looking
          setCurrent(status('not-ticket', 'sc_not_ticket', 'bad', shortened(text)));
          return;
        }
        takenRef.current = true;
        controls.stop();
        controlsRef.current = null;
        setCamera('off');
        void submit(text);
      });
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      setCamera('off');
      setCurrent(await cameraErrorStatus(error, inPopup));
    }
  };

  // A picture pasted anywhere in the popup (a screenshot, a photo copied from a chat).
  useEffect(() => {
    const onPaste = (event: ClipboardEvent): void => {
      const item = Array.from(event.clipboardData?.items ?? []).find((i) => i.kind === 'file' && i.type.startsWith('image/'));
      const file = item?.getAsFile();
      if (!file) return;
      event.preventDefault();
      void readPicture(file);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  });

  const openInTab = async (): Promise<void> => {
    await browser.tabs.create({ url: `${browser.runtime.getURL('/popup.html')}#scan` });
    window.close();
  };

  return (
    <section class="scan-panel" data-camera={camera}>
      <style>{STYLE}</style>
      <h2>{t('sc_panel_title')}</h2>
      <div class="scan-actions">
        <button type="button" data-action="camera" disabled={busy || camera === 'starting'} onClick={() => void startCamera()}>
          {camera === 'off' ? t('sc_camera') : t('sc_camera_stop')}
        </button>
        <label data-action="picture" aria-disabled={busy}>
          {t('sc_picture')}
          <input
            type="file"
            accept="image/*"
            disabled={busy}
            onChange={(event) => {
              const input = event.currentTarget;
              const file = input.files?.[0];
              input.value = ''; // the same file can be chosen again
              if (file) void readPicture(file);
            }}
          />
        </label>
      </div>
      <p class="hint">{t('sc_paste_hint')}</p>
      <video ref={videoRef} muted playsInline hidden={camera === 'off'} />
      {current && (
        <p class={`scan-status ${current.tone}`} data-status={current.code} role="status">
          {current.text}
          {current.action === 'open-in-tab' && (
            <button type="button" data-action="open-in-tab" onClick={() => void openInTab()}>
              {t('sc_open_in_tab')}
            </button>
          )}
        </p>
      )}
    </section>
  );
}
