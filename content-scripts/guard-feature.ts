import { t } from '@/shared/i18n';
import { storeMonth } from '@/shared/time';
import { findTable } from '@/shared/engine/table';
import { normalizeText, visibleText } from '@/shared/engine/dom';
import type { PortalDefinition } from '@/providers/types';
import type { Overlay } from './overlay';

/**
 * Clicks stopped before the page sees them, because the portal would do something the chain's
 * rules forbid. Today: a refund of a sale from an earlier calendar month (store time) — 慧医卡
 * cannot refund across a month, and a refund started anyway leaves a one-sided entry.
 */
export function startGuardFeature(options: { signal: AbortSignal; overlay: Overlay; guards: PortalDefinition['guards']; doc?: Document; now?: () => number }): void {
  const { signal, overlay, guards } = options;
  const doc = options.doc ?? document;
  const now = options.now ?? Date.now;
  if (!guards.length) return;
  doc.addEventListener(
    'click',
    (event) => {
      if (!event.isTrusted || !(event.target instanceof Element)) return;
      for (const guard of guards) {
        const button = event.target.closest('button, a, [role=button], input[type=button], input[type=submit]');
        if (!button || visibleText(button) !== normalizeText(guard.button)) continue;
        const table = findTable(doc, guard.table);
        const row = table?.rows().find((r) => r.row.contains(button));
        const time = row?.cell(guard.timeColumn);
        const month = time ? /^(\d{4})[-/.](\d{2})/.exec(visibleText(time)) : null;
        if (!month) continue;
        const saleMonth = `${month[1]}-${month[2]}`;
        if (saleMonth >= storeMonth(now())) continue;
        event.preventDefault();
        event.stopImmediatePropagation();
        overlay.show({ kind: 'error', code: guard.code, title: t('ov_guard_REFUND_CROSS_MONTH'), message: t('ov_guard_REFUND_CROSS_MONTH_hint', saleMonth) });
      }
    },
    { capture: true, signal },
  );
}
