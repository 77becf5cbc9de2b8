import { listIcon, stopIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IJob, JobState } from '../api';
import { CommandIDs } from '../commands';
import { JobViewerModel } from '../models/job-viewer';
import { FINAL_STATES, jobTitle } from '../models/jobs';
import {
  Button,
  ErrorNote,
  formatClock,
  formatDuration,
  formatNumber,
  Muted,
  useHubML,
  useSignal
} from './common';
import { LineChart } from './line-chart';

/** Characters of the log the server sends at most (LOG_TAIL_CHARS in handlers_jobs.py). */
const LOG_TAIL_CHARS = 20_000;

type Trans = ReturnType<typeof useHubML>['trans'];

function stateText(state: JobState, trans: Trans): string {
  const labels: { [state in JobState]: string } = {
    queued: trans.__('queued'),
    running: trans.__('running'),
    succeeded: trans.__('succeeded'),
    failed: trans.__('failed'),
    cancelled: trans.__('cancelled')
  };
  return labels[state] ?? state;
}

/** Status, queue position and timings of a job. */
function Facts(props: { job: IJob }): JSX.Element {
  const { trans } = useHubML();
  const { job } = props;
  const spec = job.spec ?? {};
  const end = job.finished ?? (FINAL_STATES.has(job.state) ? null : new Date().toISOString());
  const rows: [string, string][] = [
    [trans.__('State'), stateText(job.state, trans)],
    ...(job.state === 'queued' && typeof job.queue_position === 'number'
      ? [[trans.__('Queue position'), trans.__('#%1 (1 starts next)', job.queue_position)] as [string, string]]
      : []),
    [trans.__('Algorithm'), String(spec['algorithm'] ?? '—')],
    [trans.__('Dataset'), String(spec['dataset'] ?? '—')],
    [trans.__('Target'), String(spec['target'] ?? '—')],
    [trans.__('Created'), formatClock(job.created) || '—'],
    [trans.__('Started'), formatClock(job.started) || '—'],
    [trans.__('Finished'), formatClock(job.finished) || '—'],
    [
      job.finished ? trans.__('Took') : trans.__('Running for'),
      job.started ? formatDuration(job.started, end, trans) || '—' : '—'
    ]
  ];
  return (
    <dl className="jp-hubml-facts jp-hubml-job-facts">
      {rows.map(([label, value]) => (
        <React.Fragment key={label}>
          <dt>{label}</dt>
          <dd data-fact={label}>{value}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}

/** The metrics: final values (full names) and one chart per curve. */
function Metrics(props: { model: JobViewerModel; job: IJob }): JSX.Element {
  const { trans } = useHubML();
  const curves = props.model.metrics;
  const final = Object.entries(props.job.metrics ?? {}).filter(
    ([, value]) => typeof value === 'number'
  );
  const names = Object.keys(curves ?? {}).sort((a, b) => a.localeCompare(b));
  const lastOf = (name: string) => {
    const points = curves?.[name] ?? [];
    return points.length ? points[points.length - 1] : null;
  };
  return (
    <>
      <div className="jp-hubml-columns">
        <section>
          <h3 className="jp-hubml-section-title">{trans.__('Status')}</h3>
          <Facts job={props.job} />
        </section>
        {final.length > 0 && (
          <section>
            <h3 className="jp-hubml-section-title">
              {trans.__('Evaluated on the %1 rows', String(props.job.evaluated_on ?? 'test'))}
            </h3>
            <table className="jp-hubml-table jp-hubml-kv jp-hubml-job-final-metrics">
              <tbody>
                {final.map(([name, value]) => (
                  <tr key={name} data-metric={name}>
                    <th scope="row">{name}</th>
                    <td className="jp-hubml-num">{formatNumber(value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </div>
      <section className="jp-hubml-job-curves">
        <h3 className="jp-hubml-section-title">{trans.__('Training curves')}</h3>
        {curves === null ? (
          <Muted>{trans.__('Loading metrics…')}</Muted>
        ) : names.length === 0 ? (
          <Muted>{trans.__('No metrics logged yet.')}</Muted>
        ) : (
          <>
            <table className="jp-hubml-table jp-hubml-job-curve-table">
              <thead>
                <tr>
                  <th>{trans.__('Metric')}</th>
                  <th>{trans.__('Last step')}</th>
                  <th>{trans.__('Last value')}</th>
                </tr>
              </thead>
              <tbody>
                {names.map(name => (
                  <tr key={name} data-metric={name}>
                    <th scope="row">{name}</th>
                    <td className="jp-hubml-num">{lastOf(name)?.step ?? '—'}</td>
                    <td className="jp-hubml-num">{formatNumber(lastOf(name)?.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="jp-hubml-line-charts">
              {names.map(name => (
                <LineChart
                  key={name}
                  name={name}
                  points={curves?.[name] ?? []}
                  stepLabel={trans.__('step')}
                />
              ))}
            </div>
          </>
        )}
      </section>
    </>
  );
}

/** The log, in a monospace box that follows its end while the job runs. */
function Log(props: { log: string | null; running: boolean }): JSX.Element {
  const { trans } = useHubML();
  const ref = React.useRef<HTMLPreElement>(null);
  const follow = React.useRef(true);
  React.useEffect(() => {
    const pre = ref.current;
    if (pre && follow.current) {
      pre.scrollTop = pre.scrollHeight;
    }
  }, [props.log]);
  const onScroll = () => {
    const pre = ref.current;
    if (pre) {
      // reading further up stops the follow; back at the end, it follows again
      follow.current = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
    }
  };
  const log = props.log ?? '';
  return (
    <section className="jp-hubml-job-log-section">
      <h3 className="jp-hubml-section-title">
        {trans.__('Log')}
        {props.running && (
          <span className="jp-hubml-muted jp-hubml-following">
            {trans.__(' (following the end)')}
          </span>
        )}
      </h3>
      {log.length >= LOG_TAIL_CHARS && (
        <Muted>
          {trans.__('The last %1 characters; the whole log is log.txt in the job folder.',
            LOG_TAIL_CHARS.toLocaleString())}
        </Muted>
      )}
      <pre className="jp-hubml-job-log-full" ref={ref} onScroll={onScroll}>
        {log || trans.__('(the log is empty)')}
      </pre>
    </section>
  );
}

/** A training job in the main area: status, timings, metrics and curves, the log. */
export function JobViewerView(props: { model: JobViewerModel }): JSX.Element {
  const { trans, commands } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  const job = model.job;
  const modelName = job?.model?.name ?? job?.model_name ?? null;
  return (
    <div
      className="jp-hubml-viewer jp-hubml-job-viewer"
      data-id={model.id}
      data-state={job?.state ?? ''}
    >
      <header className="jp-hubml-viewer-header">
        <div className="jp-hubml-viewer-title">
          <h2>{job ? jobTitle(job) : model.id}</h2>
          <span className="jp-hubml-viewer-project">
            {trans.__('job %1 · %2', model.id, model.project)}
          </span>
        </div>
        <div className="jp-hubml-viewer-actions">
          {job && job.state === 'succeeded' && modelName && (
            <Button
              label={trans.__('Open model')}
              icon={listIcon}
              className="jp-hubml-open-job-model"
              onClick={() =>
                void commands.execute(CommandIDs.openModel, {
                  project: model.project,
                  name: modelName
                })
              }
            />
          )}
          {job && !FINAL_STATES.has(job.state) && (
            <Button
              label={trans.__('Cancel job')}
              icon={stopIcon}
              className="jp-hubml-cancel-job"
              onClick={() =>
                void commands.execute(CommandIDs.cancelJob, {
                  project: model.project,
                  id: model.id
                })
              }
            />
          )}
        </div>
      </header>
      <ErrorNote title={trans.__('Could not load the job.')} message={model.error} />
      {job === null ? (
        <Muted>{trans.__('Loading…')}</Muted>
      ) : (
        <div className="jp-hubml-viewer-body">
          {job.error && <div className="jp-hubml-job-error">{job.error}</div>}
          <Metrics model={model} job={job} />
          <Log
            log={typeof job.log === 'string' ? job.log : null}
            running={!FINAL_STATES.has(job.state)}
          />
        </div>
      )}
    </div>
  );
}
