// A chart of one or more series over dates, drawn by uPlot on a canvas: as bars or lines, as
// wide as its container (redrawn when that changes), and drawn again when the data or the
// language change. What it shows is also said in words: the plot is an image named by a short
// summary, and a visually hidden table beside it holds every value.
//
// uPlot's styles come in through Vite (a stylesheet of this origin): the gateway's
// Content-Security-Policy allows no <style> element a script would add.

import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "preact/hooks";
import { date, number, useLocale } from "../../shared/i18n";
import { ct } from "../i18n";
import "../backoffice.css";

export interface ChartSeries {
  /** The series' name: the legend, the readout and the table's column. */
  label: string;
  /** One value per x; null where there is none (a gap, or no bar). */
  values: (number | null)[];
  /** A CSS colour; the palette's next one otherwise. */
  color?: string;
}

export interface ChartProps {
  /** What the chart shows ("Net revenue per day"): its caption and the start of its summary. */
  title: string;
  /** The x values, one per point, as dates. */
  x: Date[];
  series: ChartSeries[];
  /** Bars (the default) or lines. */
  kind?: "bars" | "line";
  /** A value in words ("৳1,500", "42%"): the axis, the readout, the summary and the table. */
  format?: (value: number) => string;
  /** An x value in words; by default the day in `timeZone`. */
  formatX?: (at: Date) => string;
  /** The time zone the dates are shown in: UTC by default (days made with Date.UTC, like a report's). */
  timeZone?: string;
  /** The y axis' range; from 0 to a little above the highest value by default. */
  range?: [number, number];
  /** The plot's height in CSS pixels (300 by default). */
  height?: number;
  /** Said instead of the chart when there are no points. */
  empty?: string;
  /** An id for the figure (the hidden table's is derived from it). */
  id?: string;
}

const PALETTE = ["#0b7a5c", "#1d5fa8", "#a05a00", "#b0306a"];
const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans Bengali", "Noto Sans", sans-serif';
const DAY = 86_400;

let measurer: CanvasRenderingContext2D | null = null;
/** The width of an axis label in CSS pixels. */
function textWidth(text: string): number {
  measurer ??= document.createElement("canvas").getContext("2d");
  if (!measurer) return text.length * 7.5;
  measurer.font = AXIS_FONT;
  return measurer.measureText(text).width;
}

function defaultFormat(value: number): string {
  return number(value);
}

/** The x positions (seconds) the bottom axis labels: every k-th point, so that labels never crowd. */
function splitsOf(xs: number[], width: number, labelWidth: number): number[] {
  if (xs.length === 0) return [];
  const fit = Math.max(1, Math.floor(width / (labelWidth + 16)));
  const step = Math.max(1, Math.ceil(xs.length / fit));
  return xs.filter((_, i) => i % step === 0);
}

function colorOf(series: ChartSeries, index: number): string {
  return series.color ?? PALETTE[index % PALETTE.length];
}

/** A short summary of each series: its highest and lowest values and when. */
function summaryOf(props: ChartProps, formatX: (at: Date) => string, format: (v: number) => string): string {
  const { x, series, title } = props;
  const parts = [ct("chart.summary", { title, n: x.length, from: formatX(x[0]), to: formatX(x[x.length - 1]) })];
  for (const s of series) {
    let hi = -1;
    let lo = -1;
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      if (hi < 0 || v > (s.values[hi] as number)) hi = i;
      if (lo < 0 || v < (s.values[lo] as number)) lo = i;
    });
    if (hi < 0) parts.push(ct("chart.seriesEmpty", { series: s.label }));
    else {
      parts.push(
        ct("chart.seriesRange", {
          series: s.label,
          high: format(s.values[hi] as number),
          highAt: formatX(x[hi]),
          low: format(s.values[lo] as number),
          lowAt: formatX(x[lo]),
        }),
      );
    }
  }
  parts.push(ct("chart.tableFollows"));
  return parts.join(" ");
}

export function Chart(props: ChartProps) {
  const locale = useLocale();
  const plotRef = useRef<HTMLDivElement>(null);
  const readoutRef = useRef<HTMLParagraphElement>(null);
  const { x, series, kind = "bars", height = 300, timeZone, range } = props;
  const format = props.format ?? defaultFormat;
  const formatX = props.formatX ?? ((at: Date) => date(at.toISOString(), timeZone));
  // Drawn again whenever what it shows changes, whoever made the arrays.
  const key = JSON.stringify([x.map((d) => d.getTime()), series.map((s) => [s.label, s.values, s.color]), kind, height, range, timeZone, props.title]);

  useEffect(() => {
    const element = plotRef.current;
    if (!element || x.length === 0) return;
    const xs = x.map((d) => d.getTime() / 1000);
    let step = DAY;
    for (let i = 1; i < xs.length; i++) step = Math.min(step, Math.max(1, xs[i] - xs[i - 1]));
    const half = step / 2;
    const labelWidth = Math.max(...[xs[0], xs[xs.length - 1]].map((s) => textWidth(formatX(new Date(s * 1000)))));
    const bars = kind === "bars" ? uPlot.paths.bars?.({ size: [series.length > 1 ? 0.8 : 0.6, 48], align: 0 }) : undefined;
    const width = () => Math.max(200, element.clientWidth || 600);

    const options: uPlot.Options = {
      width: width(),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 8 } },
      scales: {
        x: { time: false, range: () => [xs[0] - half, xs[xs.length - 1] + half] },
        y: {
          range: range
            ? () => range
            : (_u, min, max) => [Math.min(0, min ?? 0), max !== null && max > 0 ? max * 1.12 : 1],
        },
      },
      axes: [
        {
          stroke: "#52616d",
          font: AXIS_FONT,
          grid: { show: false },
          ticks: { stroke: "#d5dde4" },
          splits: (u) => splitsOf(xs, u.bbox.width / devicePixelRatio, labelWidth),
          values: (_u, splits) => splits.map((s) => (s === null || s === undefined ? "" : formatX(new Date(s * 1000)))),
        },
        {
          stroke: "#52616d",
          font: AXIS_FONT,
          grid: { stroke: "#e6ecf0" },
          ticks: { show: false },
          space: 40,
          size: (_u, values) => Math.ceil(Math.max(32, ...(values ?? []).map(textWidth))) + 16,
          values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? "" : format(v))),
        },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: colorOf(s, i),
          width: kind === "bars" ? 1 : 2,
          fill: kind === "bars" ? `${colorOf(s, i)}cc` : undefined,
          paths: bars,
          points: { show: kind === "line" && xs.length < 60 },
          spanGaps: false,
        })),
      ],
      hooks: {
        setCursor: [
          (u) => {
            const readout = readoutRef.current;
            if (!readout) return;
            const index = u.cursor.idx;
            if (index === null || index === undefined) {
              readout.textContent = "\u00a0";
              return;
            }
            const values = series.map((s) => `${s.label}: ${s.values[index] === null ? "—" : format(s.values[index] as number)}`);
            readout.textContent = `${formatX(x[index])} · ${values.join(" · ")}`;
          },
        ],
      },
    };
    const plot = new uPlot(options, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    let lastWidth = width();
    const observer = new ResizeObserver(() => {
      const now = width();
      if (now !== lastWidth) {
        lastWidth = now;
        plot.setSize({ width: now, height });
      }
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [key, locale]);

  const id = props.id ?? `chart-${props.title.replace(/\W+/g, "-").toLowerCase()}`;
  if (x.length === 0) {
    return (
      <figure class="chart" id={id}>
        <figcaption>{props.title}</figcaption>
        <p class="muted chart-empty">{props.empty ?? ct("chart.empty")}</p>
      </figure>
    );
  }
  return (
    <figure class="chart" id={id} data-points={x.length}>
      <figcaption>{props.title}</figcaption>
      {series.length > 1 ? (
        <ul class="chart-legend">
          {series.map((s, i) => (
            <li key={s.label}>
              <span class="chart-swatch" style={{ background: colorOf(s, i) }} />
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
      <div class="chart-plot" ref={plotRef} role="img" aria-label={summaryOf(props, formatX, format)} style={{ minHeight: `${height}px` }} />
      <p class="chart-readout small" ref={readoutRef} aria-hidden="true">
        {"\u00a0"}
      </p>
      <table class="sr-only" id={`${id}-table`}>
        <caption>{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">{ct("chart.when")}</th>
            {series.map((s) => (
              <th scope="col" key={s.label}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {x.map((at, i) => (
            <tr key={at.getTime()}>
              <th scope="row">{formatX(at)}</th>
              {series.map((s) => (
                <td key={s.label}>{s.values[i] === null ? "—" : format(s.values[i] as number)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
