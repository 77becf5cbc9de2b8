import * as React from 'react';

import { IMetricPoint } from '../api';

/** The SVG path of points scaled into a width × height box (y grows down). */
export function sparklinePath(
  points: IMetricPoint[],
  width: number,
  height: number,
  pad = 2
): string {
  const finite = points.filter(p => Number.isFinite(p.value));
  if (finite.length === 0) {
    return '';
  }
  const steps = finite.map(p => p.step);
  const values = finite.map(p => p.value);
  const [x0, x1] = [Math.min(...steps), Math.max(...steps)];
  const [y0, y1] = [Math.min(...values), Math.max(...values)];
  const sx = (x: number) =>
    x1 === x0 ? width / 2 : pad + ((x - x0) / (x1 - x0)) * (width - 2 * pad);
  const sy = (y: number) =>
    y1 === y0
      ? height / 2
      : height - pad - ((y - y0) / (y1 - y0)) * (height - 2 * pad);
  const coords = finite.map(p => `${sx(p.step).toFixed(1)},${sy(p.value).toFixed(1)}`);
  if (coords.length === 1) {
    // one point: a short flat dash so something is drawn
    const [x, y] = coords[0].split(',').map(Number);
    return `M${(x - 3).toFixed(1)},${y}L${(x + 3).toFixed(1)},${y}`;
  }
  return `M${coords.join('L')}`;
}

/** A small inline line chart of one metric, with its last value. */
export function Sparkline(props: {
  name: string;
  points: IMetricPoint[];
  width?: number;
  height?: number;
}): JSX.Element {
  const { name, points } = props;
  const width = props.width ?? 120;
  const height = props.height ?? 28;
  const last = points.length > 0 ? points[points.length - 1] : null;
  const path = sparklinePath(points, width, height);
  const end = path.split(/[ML]/).filter(Boolean).pop()?.split(',');
  return (
    <div className="jp-hubml-sparkline" data-metric={name}>
      <span className="jp-hubml-sparkline-name" title={name}>
        {name}
      </span>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={name}
      >
        <path d={path} className="jp-hubml-sparkline-line" />
        {end && (
          <circle
            cx={end[0]}
            cy={end[1]}
            r={2}
            className="jp-hubml-sparkline-dot"
          />
        )}
      </svg>
      <span className="jp-hubml-sparkline-value">
        {last ? Number(last.value.toPrecision(4)).toString() : ''}
      </span>
    </div>
  );
}
