import {
  caretDownIcon,
  caretRightIcon,
  runIcon,
  stopIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IJob, JobState } from '../api';
import { CommandIDs } from '../commands';
import { FINAL_STATES, jobTitle, JobsModel } from '../models/jobs';
import {
  Button,
  ErrorNote,
  formatAgo,
  formatClock,
  formatDuration,
  formatNumber,
  Muted,
  useHubML,
  useSignal
} from './common';
import { RunsSection } from './runs';
import { Sparkline } from './sparkline';

function StateBadge(props: { state: JobState }): JSX.Element {
  const { trans } = useHubML();
  const labels: { [state in JobState]: string } = {
    queued: trans.__('queued'),
    running: trans.__('running'),
    succeeded: trans.__('succeeded'),
    failed: trans.__('failed'),
    cancelled: trans.__('cancelled')
  };
  return (
    <span className="jp-hubml-state" data-state={props.state}>
      {labels[props.state] ?? props.state}
    </span>
  );
}

function JobDetail(props: { model: JobsModel; job: IJob }): JSX.Element {
  const { trans, commands } = useHubML();
  const { model, job } = props;
  const detail = model.detail ?? job;
  const metrics = model.metrics;
  const modelName = detail.model?.name ?? detail.model_name ?? null;
  const finalMetrics = Object.entries(detail.metrics ?? {}).filter(
    ([, value]) => typeof value === 'number'
  );
  return (
    <div className="jp-hubml-job-detail">
      <dl className="jp-hubml-facts">
        <dt>{trans.__('Started')}</dt>
        <dd>{formatClock(detail.started ?? detail.created) || '—'}</dd>
        {detail.finished && (
          <>
            <dt>{trans.__('Took')}</dt>
            <dd>
              {formatDuration(detail.started ?? detail.created, detail.finished, trans)}
            </dd>
          </>
        )}
      </dl>
      {detail.error && <div className="jp-hubml-job-error">{detail.error}</div>}
      <div className="jp-hubml-sparklines">
        {metrics === null ? (
          <Muted>{trans.__('Loading metrics…')}</Muted>
        ) : Object.keys(metrics).length === 0 ? (
          <Muted>{trans.__('No metrics logged yet.')}</Muted>
        ) : (
          Object.entries(metrics).map(([name, points]) => (
            <Sparkline key={name} name={name} points={points} />
          ))
        )}
      </div>
      {finalMetrics.length > 0 && (
        <table className="jp-hubml-table jp-hubml-kv jp-hubml-job-metrics">
          <caption>
            {trans.__('Evaluated on the %1 rows', String(detail.evaluated_on ?? 'test'))}
          </caption>
          <tbody>
            {finalMetrics.map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td className="jp-hubml-num">{formatNumber(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="jp-hubml-job-actions">
        {!FINAL_STATES.has(job.state) && (
          <Button
            label={trans.__('Cancel job')}
            icon={stopIcon}
            className="jp-hubml-cancel-job"
            onClick={() =>
              void commands.execute(CommandIDs.cancelJob, {
                project: model.project ?? '',
                id: job.id
              })
            }
          />
        )}
        {job.state === 'succeeded' && modelName && (
          <Button
            label={trans.__('Open model')}
            className="jp-hubml-open-job-model"
            onClick={() =>
              void commands.execute(CommandIDs.openModel, {
                project: model.project ?? '',
                name: modelName
              })
            }
          />
        )}
      </div>
    </div>
  );
}

/** The Jobs tab: training jobs, their state, metric sparklines, log, cancel. */
export function JobsView(props: { model: JobsModel }): JSX.Element {
  const { trans, commands } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  const project = model.project;
  if (!project) {
    return (
      <div className="jp-hubml-tab-body jp-hubml-jobs">
        <Muted>{trans.__('Choose or create a project first.')}</Muted>
      </div>
    );
  }
  const jobs = model.jobs;
  // a click shows the job's summary here and its whole view (curves, log) in the main area
  const openJob = (id: string) => {
    if (model.selected !== id) {
      void commands.execute(CommandIDs.openJob, { project, id });
    }
    model.select(id);
  };
  return (
    <div className="jp-hubml-tab-body jp-hubml-jobs">
      <div className="jp-hubml-toolbar">
        <Button
          label={trans.__('Train a model…')}
          icon={runIcon}
          accept
          className="jp-hubml-train-button"
          onClick={() =>
            void commands.execute(CommandIDs.openTrainingForm, { project })
          }
        />
      </div>
      <ErrorNote title={trans.__('Could not load the jobs.')} message={model.error} />
      {jobs === null && model.loading && <Muted>{trans.__('Loading…')}</Muted>}
      {jobs !== null && jobs.length === 0 && (
        <div className="jp-hubml-empty">
          <p>{trans.__('No training jobs in %1 yet.', project)}</p>
          <p className="jp-hubml-muted">
            {trans.__('Jobs started from the training form or p.train() show here.')}
          </p>
        </div>
      )}
      {jobs !== null && jobs.length > 0 && (
        <ul className="jp-hubml-rows" aria-label={trans.__('Jobs')}>
          {jobs.map(job => {
            const open = model.selected === job.id;
            const Caret = open ? caretDownIcon : caretRightIcon;
            return (
              <li key={job.id} className="jp-hubml-row-group">
                <div
                  className="jp-hubml-row jp-hubml-job-row"
                  data-id={job.id}
                  data-state={job.state}
                  tabIndex={0}
                  aria-expanded={open}
                  onClick={() => openJob(job.id)}
                  onKeyDown={event => event.key === 'Enter' && openJob(job.id)}
                >
                  <Caret.react tag="span" className="jp-hubml-caret" />
                  <span className="jp-hubml-row-main" title={job.id}>
                    <span className="jp-hubml-row-title">{jobTitle(job)}</span>
                    <span className="jp-hubml-row-subtitle">
                      <StateBadge state={job.state} />
                      {job.state === 'queued' && typeof job.queue_position === 'number' && (
                        <span
                          className="jp-hubml-queue-position"
                          title={trans.__(
                            'The jobs of all your projects wait in one queue; 1 starts next.'
                          )}
                        >
                          {` ${trans.__('#%1 in queue', job.queue_position)}`}
                        </span>
                      )}
                      {` ${formatAgo(job.created, trans)}`}
                    </span>
                  </span>
                </div>
                {open && <JobDetail model={model} job={job} />}
              </li>
            );
          })}
        </ul>
      )}
      <RunsSection model={model.runs} />
    </div>
  );
}
