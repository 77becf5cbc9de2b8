import * as React from 'react';

import { RunViewerModel } from '../models/run-viewer';
import {
  ErrorNote,
  formatClock,
  formatDuration,
  formatNumber,
  Muted,
  useHubML,
  useSignal
} from './common';
import { LineChart } from './line-chart';

/** A run the user's code logged, in the main area: facts, params, metrics and curves. */
export function RunViewerView(props: { model: RunViewerModel }): JSX.Element {
  const { trans } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  const run = model.run;
  const curves = model.metrics;
  const names = Object.keys(curves ?? {}).sort();
  const params = Object.entries(run?.params ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const latest = Object.entries(run?.metrics ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="jp-hubml-viewer jp-hubml-run-viewer" data-id={model.id}>
      <header className="jp-hubml-viewer-header">
        <div className="jp-hubml-viewer-title">
          <h2>{run?.name || model.id}</h2>
          {run && (
            <span className="jp-hubml-state" data-state={run.status.toLowerCase()}>
              {run.status.toLowerCase()}
            </span>
          )}
          <span className="jp-hubml-viewer-project">{model.project}</span>
        </div>
      </header>
      <ErrorNote title={trans.__('Could not load the run.')} message={model.error} />
      {model.missing && (
        <Muted>{trans.__('Run %1 is not in project %2.', model.id, model.project)}</Muted>
      )}
      {run && (
        <p className="jp-hubml-viewer-meta">
          {trans.__(
            'Logged by code · experiment %1 · started %2',
            run.experiment,
            formatClock(run.start_time) || '—'
          )}
          {run.end_time ? ` · ${trans.__('took %1', formatDuration(run.start_time, run.end_time, trans))}` : ''}
        </p>
      )}
      <div className="jp-hubml-viewer-body">
        <div className="jp-hubml-columns">
          <section>
            <h3 className="jp-hubml-section-title">{trans.__('Metrics')}</h3>
            {latest.length === 0 ? (
              <Muted>{trans.__('No metrics logged.')}</Muted>
            ) : (
              <table className="jp-hubml-table jp-hubml-kv jp-hubml-run-metrics">
                <thead>
                  <tr>
                    <th>{trans.__('Metric')}</th>
                    <th>{trans.__('Last step')}</th>
                    <th>{trans.__('Last value')}</th>
                    <th>{trans.__('Points')}</th>
                  </tr>
                </thead>
                <tbody>
                  {latest.map(([name, value]) => {
                    const points = curves?.[name] ?? [];
                    return (
                      <tr key={name} data-metric={name}>
                        <th scope="row">{name}</th>
                        <td className="jp-hubml-num">{points.at(-1)?.step ?? '—'}</td>
                        <td className="jp-hubml-num">{formatNumber(value)}</td>
                        <td className="jp-hubml-num">{points.length || '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
          <section>
            <h3 className="jp-hubml-section-title">{trans.__('Parameters')}</h3>
            {params.length === 0 ? (
              <Muted>{trans.__('No parameters logged.')}</Muted>
            ) : (
              <table className="jp-hubml-table jp-hubml-kv jp-hubml-run-params">
                <tbody>
                  {params.map(([name, value]) => (
                    <tr key={name}>
                      <th scope="row">{name}</th>
                      <td>{value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
        <section className="jp-hubml-run-curves">
          <h3 className="jp-hubml-section-title">{trans.__('Curves')}</h3>
          {curves === null ? (
            <Muted>{trans.__('Loading metrics…')}</Muted>
          ) : names.filter(n => curves[n].length > 1).length === 0 ? (
            <Muted>{trans.__('No metric was logged at more than one step.')}</Muted>
          ) : (
            <div className="jp-hubml-line-charts">
              {names
                .filter(n => curves[n].length > 1)
                .map(name => (
                  <LineChart
                    key={name}
                    name={name}
                    points={curves[name]}
                    stepLabel={trans.__('step')}
                  />
                ))}
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
