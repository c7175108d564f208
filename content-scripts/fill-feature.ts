import type { FullTicket, Ticket } from '@/shared/ticket';
import { sendToBackground } from '@/shared/message-send';
import type { ResponseOf } from '@/shared/messages';
import { formatFen, formatYuan } from '@/shared/core/money';
import { t, type MessageKey } from '@/shared/i18n';
import { FlowStop, runFlow, type FlowEvent } from '@/shared/engine/flow';
import { chooseSaleFlow, saleFlows } from '@/shared/engine/sale-shape';
import { withOverrides, type PortalDefinition } from '@/providers/types';
import type { Overlay } from './overlay';

/**
 * Filling the vendor's order from a ticket, on the portal's own flow (provider data). It stops at
 * the customer's credential; when anything is missing or ambiguous it stops where it is, leaves
 * what it filled for the cashier to see, and says exactly what is wrong. It never pays.
 */
export interface FillFeature {
  fill(ticket: Ticket, scanId: string): Promise<void>;
  /** after a full page load: go on with a fill the previous page started */
  resumeIfPending(): Promise<void>;
}

/**
 * The ticket as template variables. Lines with the same goods are merged (portals add a goods
 * once and count its quantity); the same goods at two prices cannot be entered that way, so it
 * stops the fill rather than enter a wrong amount.
 */
export function ticketVariables(ticket: FullTicket): { vars: Record<string, string>; lines: Array<Record<string, string>> } {
  const merged = new Map<string, { code: string; qty: number; unitFen: number }>();
  for (const item of ticket.items) {
    const seen = merged.get(item.code);
    if (seen && seen.unitFen !== item.unitFen) throw new FlowStop('SAME_GOODS_TWO_PRICES', item.code, '');
    if (seen) seen.qty += item.qty;
    else merged.set(item.code, { ...item });
  }
  const first = ticket.items[0];
  return {
    vars: {
      'ticket.orderNo': ticket.orderNo,
      'ticket.store': ticket.store,
      'ticket.totalFen': String(ticket.totalFen),
      'ticket.totalYuan': formatFen(ticket.totalFen),
      'ticket.firstCode': first?.code ?? '',
      'ticket.lineCount': String(ticket.items.length),
    },
    lines: [...merged.values()].map((item) => ({
      code: item.code,
      qty: String(item.qty),
      unitFen: String(item.unitFen),
      unitYuan: formatFen(item.unitFen),
    })),
  };
}

export function createFillFeature(options: { signal: AbortSignal; overlay: Overlay; definition: PortalDefinition; doc?: Document }): FillFeature {
  const { signal, overlay } = options;
  const doc = options.doc ?? document;
  let running: AbortController | null = null;
  /** Runs the provider's sale flow for this ticket from `startAt` (0, or where a page load left it). */
  async function execute(ticket: FullTicket, scanId: string, startAt: number, configAsked?: Promise<ResponseOf<'portal.config'>>): Promise<void> {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    signal.addEventListener('abort', () => controller.abort(), { once: true });

    const config = await (configAsked ?? sendToBackground({ type: 'portal.config' }));
    if (!config.enabled) return;
    // a portal pack in force (policy / settings) replaces the built-in definition
    const { definition, applied } = withOverrides(config.definition ?? options.definition, config.overrides);
    let steps: FlowEvent[] = [];
    const stepsForReport = () => steps.map((e) => ({ kind: e.kind, path: e.path, step: e.step, target: e.target, label: e.label, via: e.via }));
    const summary: Array<readonly [string, string]> = [
      [t('ov_order_no'), ticket.orderNo],
      [t('ov_line_count'), String(ticket.items.length)],
      [t('ov_total'), formatYuan(ticket.totalFen)],
    ];
    overlay.show({ kind: 'busy', code: 'FILLING', title: t('ov_filling'), lines: summary });
    const report = (outcome: 'ready' | 'stopped', code?: string, subject?: string) =>
      sendToBackground({
        type: 'fill.report',
        scanId,
        orderNo: ticket.orderNo,
        outcome,
        code,
        subject,
        overrides: applied.map((o) => o.target),
        steps: stepsForReport(),
      }).catch(() => undefined);
    try {
      const { vars, lines } = ticketVariables(ticket);
      vars['portal.goodsName'] = config.goodsName || (definition.defaults.goodsName ?? '');
      // goods lines or an amount, by what the page shows, before anything is filled (after a page
      // load the primary flow goes on: a sale with alternatives never loads a page mid-flow)
      const flow =
        startAt === 0
          ? await chooseSaleFlow(definition.sale, { doc, targets: definition.targets, lexicon: definition.lexicon, signal: controller.signal, timeoutMs: definition.stepTimeoutMs })
          : saleFlows(definition.sale)[0]!;
      if (flow.name) steps.push({ kind: 'mark', path: '0', step: 'mark', label: `shape:${flow.name}` });
      await runFlow(
        flow.steps,
        {
          doc,
          targets: definition.targets,
          vars,
          lines: flow.lines === 'each' ? lines : lines.slice(0, 1),
          forbidden: definition.forbidden,
          signal: controller.signal,
          defaultTimeoutMs: definition.stepTimeoutMs,
          lexicon: definition.lexicon,
          startPage: definition.startPage,
          onEvent: (event) => steps.push(event),
          onCheckpoint: async (resumeAt) => {
            await sendToBackground({ type: 'fill.checkpoint', scanId, orderNo: ticket.orderNo, resumeAt, steps: stepsForReport() });
            steps = [];
          },
        },
        startAt,
      );
      if (controller.signal.aborted) return;
      overlay.show({ kind: 'success', code: 'READY_FOR_CREDENTIAL', title: t('ov_fill_ready'), lines: summary, message: t('ov_fill_ready_hint') });
      await report('ready');
    } catch (error) {
      if (controller.signal.aborted || (error instanceof FlowStop && error.code === 'NAVIGATED')) return;
      const stop = error instanceof FlowStop ? error : new FlowStop('ENGINE_ERROR', error instanceof Error ? error.message : String(error), '');
      overlay.show({
        kind: 'error',
        code: `FILL_${stop.code}`,
        title: t('ov_fill_stopped'),
        lines: summary,
        message: stopMessage(stop, definition) + t('ov_fill_left_as_is'),
        stop: { step: stop.stepIndex, target: stop.subject },
      });
      await report('stopped', stop.code, stop.subject);
    }
  }

  return {
    async fill(scanned, scanId) {
      // A bare order number was looked up by the background before its checks (scan-checks.ts):
      // still bare here means the bridge had no ticket for it; looking again here would fill
      // from a ticket that skipped the store, age and limit checks.
      const ticket = scanned.kind === 'full' ? scanned : null;
      // the portal's config is asked for beside fill.started, one round trip less before the first
      // goods line; nothing is filled before both are answered (execute awaits it after this)
      const configAsked = ticket ? sendToBackground({ type: 'portal.config' }) : undefined;
      configAsked?.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
      await sendToBackground({ type: 'fill.started', scanId, ticket: ticket ?? scanned });
      if (!ticket) {
        overlay.show({ kind: 'warning', code: 'ORDER_ONLY', title: t('ov_fill_order_only'), lines: [[t('ov_order_no'), scanned.orderNo]] });
        return;
      }
      await execute(ticket, scanId, 0, configAsked);
    },
    async resumeIfPending() {
      const { resume } = await sendToBackground({ type: 'fill.resume' });
      if (resume?.ticket.kind === 'full') await execute(resume.ticket, resume.scanId, resume.resumeAt);
    },
  };
}

/**
 * The cashier's stop message: where the page was (the portal's own wizard step, else our step),
 * what was not found, and what the page showed instead.
 */
const SEEN = { input: 'ov_seen_input', button: 'ov_seen_button', column: 'ov_seen_column' } as const satisfies Record<string, MessageKey>;
const SEEN_NONE = { input: 'ov_seen_no_input', button: 'ov_seen_no_button', column: 'ov_seen_no_column' } as const satisfies Record<string, MessageKey>;

export function stopMessage(stop: FlowStop, definition: Pick<PortalDefinition, 'describe'>): string {
  const describe = (name: string): string => definition.describe[name] ?? name;
  // several shapes looked for, none found: each by what the cashier calls it
  const subject = stop.code === 'SALE_SHAPE_UNKNOWN' ? stop.subject.split('|').map(describe).join(t('ov_or_separator')) : describe(stop.subject);
  const what = t(`ov_stop_${stop.code}` as MessageKey, stop.detail.startPage ? [subject, stop.detail.startPage] : subject);
  const { wizard, seen, seenKind } = stop.detail;
  const topStep = stop.stepIndex.split('.')[0];
  const where = wizard
    ? t('ov_stop_at_wizard_step', [String(wizard.index), wizard.title])
    : topStep && ['MISSING', 'AMBIGUOUS', 'DISABLED', 'ROW_MISSING', 'CELL_MISSING', 'NO_OUTCOME'].includes(stop.code)
      ? t('ov_stop_at_step', topStep)
      : '';
  const instead = seenKind ? (seen?.length ? t(SEEN[seenKind], seen.join(t('ov_list_separator'))) : t(SEEN_NONE[seenKind])) : '';
  // the start page is named last: after what was seen, it tells the cashier what to do
  return stop.detail.startPage ? where + what.split('\n')[0] + instead + (what.split('\n')[1] ?? '') : where + what + instead;
}
