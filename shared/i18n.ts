import { browser } from 'wxt/browser';
import type { PortalId } from '@/providers/registry';
import type zhCommon from '../locales/zh_CN/common.json';
import type zhOverlay from '../locales/zh_CN/overlay.json';
import type zhOptions from '../locales/zh_CN/options.json';
import type zhPopup from '../locales/zh_CN/popup.json';
import type zhLog from '../locales/zh_CN/log.json';
import type zhScan from '../locales/zh_CN/scan.json';
import type zhSecurity from '../locales/zh_CN/security.json';
import type zhPacks from '../locales/zh_CN/packs.json';

/**
 * Every user-facing string goes through the extension's own i18n (chrome.i18n, _locales),
 * zh-CN first. The locale sources are split per surface under locales/<lang>/*.json and merged
 * into _locales/<lang>/messages.json at build time (see wxt.config.ts).
 */
export type MessageKey =
  | keyof typeof zhCommon
  | keyof typeof zhOverlay
  | keyof typeof zhOptions
  | keyof typeof zhPopup
  | keyof typeof zhScan
  | keyof typeof zhLog
  | keyof typeof zhSecurity
  | keyof typeof zhPacks;

/** The locale key of a portal's name; the type fails to compile if a locale lacks one. */
export function portalNameKey(id: PortalId): MessageKey {
  const key: `opt_portal_name_${PortalId}` = `opt_portal_name_${id}`;
  return key;
}

export function t(key: MessageKey, substitutions?: string | string[]): string {
  // WXT types getMessage with its own generated keys; ours come from locales/ (MessageKey above).
  const getMessage = browser.i18n.getMessage as (name: string, substitutions?: string | string[]) => string;
  const text = getMessage(key, substitutions);
  // An empty answer means a missing key: show the key rather than a blank button.
  return text || key;
}
