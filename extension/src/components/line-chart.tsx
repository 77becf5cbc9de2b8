import * as React from 'react';

import { IMetricPoint } from '../api';

const W = 360;
const H = 150;
const M = { left: 52, right: 12, top: 10, bottom: 26 };

/** Up to 4 significant digits, without a trailing ".000". */
function short(value: number): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  return Number(value.toPrecision(4)).toString();
}

/** The points of a curve in the chart's pixels (steps left to right, values up). */
export function chartPoints(
  points: IMetricPoint[]
): { x: number; y: number; step: number; value: number }[] {
  const finite = points.filter(p => Number.isFinite(p.value) && Number.isFinite(p.step));
  if (finite.length === 0) {
    return [];
  }
  const steps = finite.map(p => p.step);
  const values = finite.map(p => p.value);
  const [x0, x1] = [Math.min(...steps), Math.max(...steps)];
  const [y0, y1] = [Math.min(...values), Math.max(...values)];
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  return finite.map(p => ({
    step: p.step,
    value: p.value,
    x: M.left + (x1 === x0 ? iw / 2 : ((p.step - x0) / (x1 - x0)) * iw),
    y: M.top + (y1 === y0 ? ih / 2 : ih - ((p.value - y0) / (y1 - y0)) * ih)
  }));
}

/**
 * A line chart of one metric over its steps, in plain SVG: the curve, the
 * first and last step on the x axis, the lowest and highest value on the y
 * axis, and a dot on the last point. It follows the theme's colours.
 */
export function LineChart(props: {
  name: string;
  points: IMetricPoint[];
  stepLabel: string;
}): JSX.Element {
  const { name } = props;
  const xy = chartPoints(props.points);
  const path = xy.length
    ? `M${xy.map(p => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('L')}`
    : '';
  const values = xy.map(p => p.value);
  const steps = xy.map(p => p.step);
  const last = xy.length ? xy[xy.length - 1] : null;
  const bottom = H - M.bottom;
  return (
    <figure className="jp-hubml-line-chart" data-metric={name}>
      <figcaption>
        <span className="jp-hubml-line-chart-name">{name}</span>
        {last && <span className="jp-hubml-line-chart-last">{short(last.value)}</span>}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={name}>
        <line className="jp-hubml-axis" x1={M.left} y1={M.top} x2={M.left} y2={bottom} />
        <line className="jp-hubml-axis" x1={M.left} y1={bottom} x2={W - M.right} y2={bottom} />
        {xy.length > 0 && (
          <>
            <text className="jp-hubml-tick" x={M.left - 6} y={M.top + 4} textAnchor="end">
              {short(Math.max(...values))}
            </text>
            <text className="jp-hubml-tick" x={M.left - 6} y={bottom} textAnchor="end">
              {short(Math.min(...values))}
            </text>
            <text className="jp-hubml-tick" x={M.left} y={H - 8} textAnchor="start">
              {short(Math.min(...steps))}
            </text>
            <text className="jp-hubml-tick" x={W - M.right} y={H - 8} textAnchor="end">
              {short(Math.max(...steps))}
            </text>
            <text className="jp-hubml-tick" x={(M.left + W - M.right) / 2} y={H - 8}
              textAnchor="middle">
              {props.stepLabel}
            </text>
          </>
        )}
        {xy.length > 1 && <path d={path} className="jp-hubml-line-chart-line" />}
        {last && <circle cx={last.x} cy={last.y} r={3} className="jp-hubml-line-chart-dot" />}
      </svg>
    </figure>
  );
}
