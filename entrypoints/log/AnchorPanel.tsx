import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t, type MessageKey } from '@/shared/i18n';
import { RefusalSchema } from '@/shared/messages';
import { AnchorCheckAnswerSchema, isTampering, readAnchorState, shortHead, type AnchorCheckAnswer, type AnchorFinding, type AnchorState } from '@/shared/anchor';
import { clockText, errorMessage, logDb } from './data';

/**
 * The audit chain against the heads held elsewhere (bridge, export files), under the chain bar:
 * the newest head for the paper report, where the last one went, and — after 「核对全部审计记录」 —
 * what the comparison found, in words a supervisor can act on.
 */

const range = (from: number, to: number): string => (from >= to ? String(to) : `${from}–${to}`);
const SOURCE: Record<'bridge' | 'export', MessageKey> = { bridge: 'log_anchor_src_bridge', export: 'log_anchor_src_export' };

export function findingText(f: AnchorFinding): string {
  switch (f.kind) {
    case 'deleted':
      return t(f.newest ? 'log_anchor_deleted_newest' : 'log_anchor_deleted', [range(f.fromSeq, f.toSeq), t(SOURCE[f.source]), String(f.headSeq)]);
    case 'rewritten':
      return t('log_anchor_rewritten', [range(f.fromSeq, f.headSeq), t(SOURCE[f.source]), String(f.headSeq)]);
    case 'exportDay':
      return t('log_anchor_export_day', [f.day, f.hash.slice(0, 16), String(f.entriesLeft)]);
    case 'purged':
      return t('log_anchor_purged', [String(f.throughSeq), String(f.purgeSeq), clockText(f.purgeAt), f.by ?? '—']);
  }
}

function summaryText(answer: AnchorCheckAnswer): string {
  const parts: string[] = [];
  if (answer.bridge === 'failed') parts.push(t('log_anchor_bridge_failed', answer.bridgeMessage ?? ''));
  if (answer.compared === 0) parts.push(t('log_anchor_nothing'));
  else if (!answer.findings.some(isTampering)) parts.push(t('log_anchor_ok', String(answer.compared)));
  return parts.join(' ');
}

export function AnchorPanel({ runKey, bridgeConfigured }: { runKey: number; bridgeConfigured: boolean }) {
  const db = logDb();
  const [state, setState] = useState<AnchorState | null>(null);
  const [newest, setNewest] = useState<{ seq: number; hash: string } | null>(null);
  const [answer, setAnswer] = useState<AnchorCheckAnswer | null>(null);
  /** which check the shown answer is from (data-run: a test or a person waits for this one's) */
  const [answerRun, setAnswerRun] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void readAnchorState(db).then((s) => live && setState(s));
    void db.audit
      .orderBy('seq')
      .last()
      .then((e) => live && setNewest(e ? { seq: e.seq, hash: e.hash } : null));
    if (runKey > 0) {
      setBusy(true);
      setError(null);
      void browser.runtime
        .sendMessage({ type: 'audit.anchorCheck' })
        .then((raw: unknown) => {
          const refusal = RefusalSchema.safeParse(raw);
          if (refusal.success) throw new Error(refusal.data.reason);
          if (!live) return;
          const parsed = AnchorCheckAnswerSchema.parse(raw);
          setAnswer(parsed);
          setAnswerRun(runKey);
          if (parsed.newest) setNewest(parsed.newest);
        })
        .catch((e: unknown) => {
          if (!live) return;
          setError(errorMessage(e));
          setAnswer(null);
          setAnswerRun(runKey);
        })
        .finally(() => live && setBusy(false));
    }
    return () => {
      live = false;
    };
  }, [runKey]);

  const lastSent = state?.records.filter((r) => r.where === 'bridge').sort((a, b) => b.seq - a.seq)[0];
  const failed = state?.lastAttempt && (state.lastAttempt.outcome === 'retry' || state.lastAttempt.outcome === 'unauthorized') ? state.lastAttempt : null;
  const tampered = answer?.findings.some(isTampering) ?? false;
  return (
    <div id="anchor" class={`chain ${answer ? (tampered ? 'chain-bad' : 'chain-ok') : ''}`} data-run={answerRun} data-state={busy || answerRun !== runKey ? 'checking' : answer ? (tampered ? 'tampered' : 'ok') : 'idle'}>
      <p id="anchor-head" class="head-line" data-seq={newest?.seq ?? ''}>
        {newest ? t(bridgeConfigured ? 'log_anchor_head' : 'log_anchor_head_paper', shortHead(newest)) : t('log_head_none')}
      </p>
      {bridgeConfigured && (
        <p id="anchor-sent" class="sub" data-seq={lastSent?.seq ?? ''}>
          {lastSent ? t('log_anchor_last_sent', [String(lastSent.seq), clockText(lastSent.sentAt)]) : t('log_anchor_never_sent')}
          {failed ? ` ${t('log_anchor_last_failed', failed.message ?? failed.outcome)}` : ''}
        </p>
      )}
      {busy && <p id="anchor-status">{t('log_anchor_checking')}</p>}
      {error && <p id="anchor-status" role="alert">{error}</p>}
      {answer && !busy && (
        <>
          {summaryText(answer) && (
            <p id="anchor-status" role="status" data-compared={answer.compared} data-bridge={answer.bridge}>
              {summaryText(answer)}
            </p>
          )}
          {answer.findings.length > 0 && (
            <ul id="anchor-findings">
              {answer.findings.map((f) => (
                <li
                  key={`${f.kind}-${f.kind === 'purged' ? f.purgeSeq : f.kind === 'exportDay' ? f.day : f.headSeq}`}
                  class={isTampering(f) ? 'finding-bad' : 'finding-info'}
                  data-kind={f.kind}
                  data-from={f.kind === 'deleted' || f.kind === 'rewritten' ? f.fromSeq : ''}
                  data-to={f.kind === 'deleted' ? f.toSeq : f.kind === 'rewritten' ? f.headSeq : f.kind === 'purged' ? f.throughSeq : ''}
                >
                  {findingText(f)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
