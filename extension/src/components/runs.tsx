import * as React from 'react';

import { IRun } from '../api';
import { CommandIDs } from '../commands';
import { RunsModel } from '../models/runs';
import { ErrorNote, formatAgo, formatNumber, Muted, useHubML, useSignal } from './common';

/** The first metrics of a run as `name value` pairs, for its row. */
export function metricSummary(run: IRun, count = 3): string {
  return Object.entries(run.metrics ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(0, count)
    .map(([name, value]) => `${name} ${formatNumber(value)}`)
    .join(' · ');
}

/** The Jobs tab's second list: runs that the user's own scripts and notebooks logged. */
export function RunsSection(props: { model: RunsModel }): JSX.Element | null {
  const { trans, commands } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  const project = model.project;
  const runs = model.runs;
  if (!project) {
    return null;
  }
  const open = (id: string) => void commands.execute(CommandIDs.openRun, { project, id });
  return (
    <section className="jp-hubml-runs">
      <h3 className="jp-hubml-section-title">{trans.__('Runs from code')}</h3>
      <ErrorNote title={trans.__('Could not load the runs.')} message={model.error} />
      {runs === null && model.loading && <Muted>{trans.__('Loading…')}</Muted>}
      {runs !== null && runs.length === 0 && (
        <p className="jp-hubml-muted">
          {trans.__('Runs that your own code logs with p.start_run() show here.')}
        </p>
      )}
      {runs !== null && runs.length > 0 && (
        <ul className="jp-hubml-rows" aria-label={trans.__('Runs from code')}>
          {runs.map(run => (
            <li
              key={run.id}
              className="jp-hubml-row jp-hubml-run-row"
              data-id={run.id}
              data-name={run.name ?? ''}
              data-status={run.status}
              tabIndex={0}
              title={trans.__('Open run %1', run.name || run.id)}
              onClick={() => open(run.id)}
              onKeyDown={event => event.key === 'Enter' && open(run.id)}
            >
              <span className="jp-hubml-row-main">
                <span className="jp-hubml-row-title">{run.name || run.id}</span>
                <span className="jp-hubml-row-subtitle">
                  <span className="jp-hubml-state" data-state={run.status.toLowerCase()}>
                    {run.status.toLowerCase()}
                  </span>
                  {` ${formatAgo(run.start_time, trans)}`}
                </span>
                {Object.keys(run.metrics ?? {}).length > 0 && (
                  <span className="jp-hubml-row-subtitle jp-hubml-run-metrics-line">
                    {metricSummary(run)}
                  </span>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
