import type { BarChart, LineChart } from './charts.js';
import { escapeHtml } from './markdown.js';

const WIDTH = 440;
const HEIGHT = 220;
const PAD = { left: 56, right: 16, top: 24, bottom: 36 };

/** A line chart as inline SVG: no script, no external font, readable without CSS. */
export function lineChartSvg(chart: LineChart): string {
  const finite = chart.values.map((v, i) => [i, v] as const).filter(([, v]) => Number.isFinite(v));
  const ys = finite.map(([, v]) => v);
  const [yMin, yMax] = paddedRange(chart.zeroBased ? [0, ...ys] : ys);
  const x = (i: number) => PAD.left + (chart.values.length <= 1 ? 0 : (i / (chart.values.length - 1)) * plotWidth());
  const y = (v: number) => PAD.top + (1 - (v - yMin) / (yMax - yMin)) * plotHeight();
  const points = finite.map(([i, v]) => `${round(x(i))},${round(y(v))}`).join(' ');
  // Non-finite values (a NaN loss) are marked where they happened, on the x axis.
  const gaps = chart.values
    .map((v, i) => (Number.isFinite(v) ? '' : `<circle cx="${round(x(i))}" cy="${PAD.top + plotHeight()}" r="3" class="nan"><title>non-finite at ${chart.xLabel} ${i}</title></circle>`))
    .join('');
  return frame(
    chart.title,
    [
      axes(yMin, yMax, chart.yLabel, `${chart.xLabel} (0–${chart.values.length - 1})`),
      `<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="${points}"/>`,
      gaps,
    ].join(''),
  );
}

export function barChartSvg(chart: BarChart): string {
  // Headroom for the value printed above the tallest bar.
  const max = (Math.max(...chart.bars.map((b) => b.value), 0) || 1) * 1.12;
  const slot = plotWidth() / Math.max(chart.bars.length, 1);
  const bars = chart.bars
    .map((b, i) => {
      const h = (b.value / max) * plotHeight();
      const bx = PAD.left + i * slot + slot * 0.15;
      const by = PAD.top + plotHeight() - h;
      return (
        `<rect x="${round(bx)}" y="${round(by)}" width="${round(slot * 0.7)}" height="${round(h)}" fill="${b.highlight ? '#d29922' : '#1f6feb'}"><title>${escapeHtml(b.label)}: ${b.value}</title></rect>` +
        `<text x="${round(bx + slot * 0.35)}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="middle" class="tick">${escapeHtml(shorten(b.label, Math.max(6, Math.floor(slot / 7.5))))}</text>` +
        `<text x="${round(bx + slot * 0.35)}" y="${round(by - 4)}" text-anchor="middle" class="tick">${Number(b.value.toPrecision(3))}</text>`
      );
    })
    .join('');
  return frame(chart.title, axes(0, max, chart.unit, '') + bars);
}

function frame(title: string, body: string): string {
  return (
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">` +
    `<title>${escapeHtml(title)}</title><rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="${PAD.left}" y="16" class="title">${escapeHtml(title)}</text>${body}</svg>`
  );
}

function axes(yMin: number, yMax: number, yLabel: string, xLabel: string): string {
  const bottom = PAD.top + plotHeight();
  const ticks = [0, 0.5, 1]
    .map((t) => {
      const v = yMin + t * (yMax - yMin);
      const ty = bottom - t * plotHeight();
      return `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${round(ty)}" y2="${round(ty)}" class="grid"/><text x="${PAD.left - 6}" y="${round(ty + 4)}" text-anchor="end" class="tick">${Number(v.toPrecision(3))}</text>`;
    })
    .join('');
  return (
    ticks +
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${bottom}" class="axis"/>` +
    `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${bottom}" y2="${bottom}" class="axis"/>` +
    `<text x="12" y="${PAD.top + plotHeight() / 2}" transform="rotate(-90 12 ${PAD.top + plotHeight() / 2})" text-anchor="middle" class="tick">${escapeHtml(yLabel)}</text>` +
    (xLabel ? `<text x="${PAD.left + plotWidth() / 2}" y="${HEIGHT - 6}" text-anchor="middle" class="tick">${escapeHtml(xLabel)}</text>` : '')
  );
}

function paddedRange(values: number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (min === max) return [min - 1, max + 1];
  const pad = (max - min) * 0.05;
  return [min === 0 ? 0 : min - pad, max + pad];
}

const plotWidth = () => WIDTH - PAD.left - PAD.right;
const plotHeight = () => HEIGHT - PAD.top - PAD.bottom;
const round = (n: number) => Math.round(n * 10) / 10;
const shorten = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
