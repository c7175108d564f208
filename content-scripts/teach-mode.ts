import type { PortalDefinition } from '@/providers/types';
import { sendToBackground } from '@/shared/message-send';
import { t, type MessageKey } from '@/shared/i18n';
import { resolveLocators } from '@/shared/engine/locate';
import { searchableDocuments } from '@/shared/engine/dom';
import { isPasswordField } from '@/shared/engine/act';
import type { Locator } from '@/shared/engine/locator';
import { buildPack, teachPlan, type Answer, type Ask } from '@/shared/teach/plan';
import { clickableFor, columnOfCell, controlFor, deriveLocators, labelOfValueLine, markerText } from '@/shared/teach/locator';
import { TeachPanel } from './teach-panel';

/**
 * Teach mode (教一教): IT or a store manager walks one sale by hand while the panel asks for each
 * thing in turn; each click is read for its structure only (label, placeholder, text, role,
 * headers) and passed on to the page untouched, so the sale goes on as usual. Input values are
 * never read; password fields are refused. At the end the pack is checked by the same rules
 * as any other, shown, and handed to the options page (through the background) to dry-run and
 * export.
 */
export interface TeachSession {
  stop(): void;
}

const FIELD_NAME_KEYS: Record<string, MessageKey> = {
  vendorOrderNo: 'tch_field_vendorOrderNo',
  storeOrderNo: 'tch_field_storeOrderNo',
  totalFen: 'tch_field_totalFen',
  cardFen: 'tch_field_cardFen',
  cashFen: 'tch_field_cashFen',
  cardNumber: 'tch_field_cardNumber',
  settledAt: 'tch_field_settledAt',
  originalVendorOrderNo: 'tch_field_originalVendorOrderNo',
};

function promptFor(ask: Ask): string {
  switch (ask.kind) {
    case 'target':
      return t('tch_ask_target', ask.describe);
    case 'column':
      return t('tch_ask_column', ask.column);
    case 'marker':
      return t('tch_ask_marker', ask.marker);
    case 'field':
      return t('tch_ask_field', [t(FIELD_NAME_KEYS[ask.field] ?? 'tch_field_vendorOrderNo'), ask.label]);
  }
}

/** Only the locators that find exactly this element on the live page, as the engine resolves them. */
function verified(doc: Document, element: Element, candidates: Locator[]): Locator[] {
  return candidates.filter((locator) => {
    const found = resolveLocators(doc, [locator]);
    return found.ok && (found.element === element || found.element.contains(element) || element.contains(found.element));
  });
}

/** `ignore`: a click that is the person working the sale (a button while a field is asked for, …), not an answer. */
type Reading = { ok: true; answer: Answer; shown: string } | { ok: false; why: MessageKey } | { ok: false; ignore: true };

const BUTTONISH = 'button, [role=button], a, input[type=button], input[type=submit], .el-button';
const FIELDISH = 'input, textarea, select, [contenteditable=true], [role=textbox], [role=combobox]';

export function read(doc: Document, ask: Ask, clicked: Element): Reading {
  const onButton = clicked.closest(BUTTONISH) !== null;
  const onField = clicked.closest(FIELDISH) !== null;
  switch (ask.kind) {
    case 'target': {
      if (ask.clicked ? onField : onButton) return { ok: false, ignore: true };
      const control = ask.clicked ? null : controlFor(clicked);
      if (control && isPasswordField(control)) return { ok: false, why: 'tch_refused_password' };
      const element = control ?? clickableFor(clicked) ?? clicked;
      const locators = verified(doc, element, deriveLocators(clicked, ask.clicked ? 'clickable' : 'any'));
      if (!locators.length) return { ok: false, why: 'tch_not_recognised' };
      return { ok: true, answer: { kind: 'target', locators }, shown: `${locators[0]?.by}: ${locators[0]?.value}` };
    }
    case 'column': {
      const column = columnOfCell(clicked);
      if (!column && (onButton || onField)) return { ok: false, ignore: true };
      return column ? { ok: true, answer: { kind: 'column', header: column.column, headers: column.headers }, shown: column.column } : { ok: false, why: 'tch_not_a_cell' };
    }
    case 'marker': {
      if (onButton || onField) return { ok: false, ignore: true };
      const text = markerText(clicked);
      return text ? { ok: true, answer: { kind: 'marker', text }, shown: text } : { ok: false, why: 'tch_not_recognised' };
    }
    case 'field': {
      if (onButton || onField) return { ok: false, ignore: true };
      const label = labelOfValueLine(clicked);
      return label ? { ok: true, answer: { kind: 'field', label }, shown: label } : { ok: false, why: 'tch_not_recognised' };
    }
  }
}

export function startTeachMode(options: { definition: PortalDefinition; signal: AbortSignal; doc?: Document; now?: () => Date }): TeachSession {
  const doc = options.doc ?? document;
  const asks = teachPlan(options.definition);
  const answers = new Map<string, Answer>();
  const stopped = new AbortController();
  options.signal.addEventListener('abort', () => stopped.abort(), { once: true });
  const panel = new TeachPanel(doc, stopped.signal);
  let index = 0;
  let feedback: string | undefined;
  /** what the last answer was read from: clicking it again (to type in it) answers nothing */
  let answered: Element | undefined;

  const listening = new WeakSet<Document>();
  const listen = () => {
    for (const d of searchableDocuments(doc)) {
      if (listening.has(d)) continue;
      listening.add(d);
      d.addEventListener('click', onClick, { capture: true, signal: stopped.signal });
    }
  };

  const show = () => {
    const ask = asks[index];
    if (!ask) {
      void finish();
      return;
    }
    listen();
    panel.show({
      counter: t('tch_counter', [String(index + 1), String(asks.length)]),
      prompt: promptFor(ask),
      hint: ask.optional ? t('tch_optional_hint') : t('tch_pass_through_hint'),
      feedback,
      actions: [
        { label: t('tch_skip'), onClick: () => next(undefined) },
        { label: t('tch_cancel'), onClick: () => stop() },
      ],
    });
  };

  const next = (answer: Answer | undefined, shown?: string) => {
    const ask = asks[index];
    if (ask && answer) answers.set(ask.id, answer);
    feedback = ask && answer && shown ? t('tch_recorded', shown) : ask ? t('tch_skipped') : undefined;
    index += 1;
    show();
  };

  function onClick(event: Event): void {
    if (!event.isTrusted || panel.owns(event)) return;
    const ask = asks[index];
    const target = event.target;
    // (an element of a same-origin frame is not an instance of this window's Element)
    if (!ask || !target || (target as Node).nodeType !== Node.ELEMENT_NODE) return;
    if (answered?.isConnected && answered.contains(target as Element)) return;
    // the click goes on to the page: the person is walking a real sale
    const reading = read(doc, ask, target as Element);
    if (!reading.ok) {
      if ('ignore' in reading) return;
      feedback = t(reading.why);
      show();
      return;
    }
    answered = (target as Element).closest('input, textarea, select, button, td, th, [role=button]') ?? (target as Element);
    next(reading.answer, reading.shown);
  }

  const finish = async (): Promise<void> => {
    const pack = buildPack(options.definition, asks, answers, (options.now ?? (() => new Date()))());
    const packText = JSON.stringify(pack, null, 2);
    // the background checks the pack by the same rules a pack is loaded by (no zod in the content script)
    const answer = await sendToBackground({ type: 'teach.finished', packText }).catch(() => null);
    if (stopped.signal.aborted) return;
    panel.show({
      counter: t('tch_done_counter', String(answers.size)),
      prompt: answer?.packOk ? t('tch_done') : t('tch_done_refused'),
      hint: t('tch_done_hint'),
      code: packText,
      actions: [
        { label: t('tch_copy'), onClick: () => void navigator.clipboard.writeText(packText).catch(() => undefined) },
        { label: t('tch_close'), onClick: () => stop() },
      ],
    });
  };

  const stop = () => {
    stopped.abort();
    panel.hide();
  };

  show();
  return { stop };
}
