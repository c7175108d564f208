import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { PORTAL_IDS, perPortal, type PortalId } from '@/providers/registry';
import { t } from '@/shared/i18n';
import { formatFen } from '@/shared/core/money';
import type { PortalSeries } from '@/shared/log-totals';
import { PORTAL_LABEL } from './data';

export const PORTAL_COLOR: Readonly<Record<PortalId, string>> = perPortal((p) => p.chartColour);

/** Axis ticks in yuan, without decimals when they are round. */
function yuanTick(fen: number): string {
  const rounded = Math.round(fen);
  const text = formatFen(rounded);
  return text.endsWith('.00') ? text.slice(0, -3) : text;
}

interface Props {
  id: string;
  title: string;
  /** one label per x position */
  labels: readonly string[];
  /** fen per portal per x position */
  series: PortalSeries;
}

/** A small uPlot line chart of amounts per portal; portals with nothing are left out. */
export function PortalChart({ id, title, labels, series }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const portals = PORTAL_IDS.filter((p) => series[p].some((v) => v !== 0));
    const xs = labels.map((_, i) => i);
    const data: uPlot.AlignedData = [xs, ...portals.map((p) => series[p])];
    const opts: uPlot.Options = {
      title,
      width: Math.max(320, (el.clientWidth || 900) - 20),
      height: 240,
      scales: { x: { time: false } },
      series: [
        { label: t('log_chart_x') },
        ...portals.map((p): uPlot.Series => ({
          label: t(PORTAL_LABEL[p]),
          stroke: PORTAL_COLOR[p],
          width: 2,
          points: { show: true, size: 6 },
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : `¥${formatFen(Math.round(v))}`),
        })),
      ],
      axes: [
        { values: (_u: uPlot, splits: number[]) => splits.map((v) => labels[Math.round(v)] ?? '') },
        { values: (_u: uPlot, splits: number[]) => splits.map(yuanTick), size: 70 },
      ],
      legend: { show: true },
    };
    const plot = new uPlot(opts, data, el);
    return () => plot.destroy();
  }, [labels, series, title]);
  return <div id={id} class="chart" ref={box} data-points={labels.length} />;
}
