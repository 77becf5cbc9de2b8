import { launchIcon, listIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IModelVersionDetail } from '../api';
import { CommandIDs } from '../commands';
import { ModelViewerModel } from '../models/model-viewer';
import { AliasEditor } from './aliases';
import { ExportFormats } from './export-formats';
import {
  Button,
  ErrorNote,
  formatNumber,
  formatTime,
  Muted,
  useHubML,
  useSignal
} from './common';
import { LineageView } from './lineage';

/** A format of the framework as text: a string, or an object's id/name/label. */
function formatLabel(format: unknown): string {
  if (typeof format === 'string') {
    return format;
  }
  if (format && typeof format === 'object') {
    const f = format as { [key: string]: unknown };
    return String(f['label'] ?? f['name'] ?? f['id'] ?? JSON.stringify(f));
  }
  return String(format);
}

/** A two-column table of names and values (metrics, parameters). */
function KeyValues(props: {
  values: { [key: string]: unknown };
  className: string;
  empty: string;
}): JSX.Element {
  const entries = Object.entries(props.values ?? {}).sort(([a], [b]) =>
    a.localeCompare(b)
  );
  if (entries.length === 0) {
    return <Muted>{props.empty}</Muted>;
  }
  return (
    <table className={`jp-hubml-table jp-hubml-kv ${props.className}`}>
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key} data-key={key}>
            <th scope="row">{key}</th>
            <td className={typeof value === 'number' ? 'jp-hubml-num' : undefined}>
              {typeof value === 'object' && value !== null
                ? JSON.stringify(value)
                : formatNumber(value)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function VersionDetail(props: {
  project: string;
  detail: IModelVersionDetail;
}): JSX.Element {
  const { trans } = useHubML();
  const { detail } = props;
  return (
    <div className="jp-hubml-model-version-detail" data-version={detail.version}>
      <h3 className="jp-hubml-section-title">
        {trans.__('Version %1', detail.version)}
      </h3>
      <dl className="jp-hubml-facts">
        <dt>{trans.__('Framework')}</dt>
        <dd>{detail.framework}</dd>
        <dt>{trans.__('Algorithm')}</dt>
        <dd>{detail.algorithm ?? '—'}</dd>
        <dt>{trans.__('Task')}</dt>
        <dd>{detail.task ?? '—'}</dd>
        <dt>{trans.__('Registered')}</dt>
        <dd>{formatTime(detail.created)}</dd>
      </dl>
      <div className="jp-hubml-columns">
        <section>
          <h3 className="jp-hubml-section-title">
            {trans.__('Metrics of the training run')}
          </h3>
          <KeyValues
            values={detail.metrics}
            className="jp-hubml-metrics"
            empty={trans.__('No metrics logged.')}
          />
        </section>
        <section>
          <h3 className="jp-hubml-section-title">{trans.__('Parameters')}</h3>
          <KeyValues
            values={detail.params}
            className="jp-hubml-params"
            empty={trans.__('No parameters logged.')}
          />
        </section>
      </div>
      <ExportFormats
        project={props.project}
        name={detail.name}
        version={detail.version}
        formats={(detail.formats ?? []).map(formatLabel)}
      />
      <LineageView
        project={props.project}
        recipe={detail.lineage?.recipe ?? null}
        datasets={detail.lineage?.datasets ?? []}
        datasetsTitle={trans.__('Trained on')}
        runId={detail.lineage?.run_id ?? detail.run_id}
      />
    </div>
  );
}

function VersionsTable(props: { model: ModelViewerModel }): JSX.Element {
  const { trans } = useHubML();
  const { model } = props;
  const versions = [...(model.model?.versions ?? [])].sort(
    (a, b) => b.version - a.version
  );
  const aliases = Object.entries(model.model?.aliases ?? {});
  if (versions.length === 0) {
    return <Muted>{trans.__('Loading…')}</Muted>;
  }
  return (
    <table className="jp-hubml-table jp-hubml-model-versions">
      <thead>
        <tr>
          <th>{trans.__('Version')}</th>
          <th>{trans.__('Registered')}</th>
          <th>{trans.__('Algorithm')}</th>
          <th>{trans.__('Aliases')}</th>
        </tr>
      </thead>
      <tbody>
        {versions.map(v => {
          const current = v.version === model.version;
          return (
            <tr
              key={v.version}
              data-version={v.version}
              className={`jp-hubml-model-version${current ? ' jp-mod-current' : ''}`}
              tabIndex={0}
              onClick={() => model.select(v.version)}
              onKeyDown={event => event.key === 'Enter' && model.select(v.version)}
            >
              <td>{trans.__('v%1', v.version)}</td>
              <td>{formatTime(v.created)}</td>
              <td>{v.algorithm ?? v.framework}</td>
              <td>
                {aliases
                  .filter(([, n]) => n === v.version)
                  .map(([a]) => (
                    <span key={a} className="jp-hubml-tag">
                      {a}
                    </span>
                  ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A registered model in the main area: versions, aliases, metrics, lineage. */
export function ModelViewerView(props: { model: ModelViewerModel }): JSX.Element {
  const { trans, commands } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  const args = {
    project: model.project,
    name: model.name,
    version: model.version ?? 0
  };
  return (
    <div className="jp-hubml-viewer jp-hubml-model-viewer" data-name={model.name}>
      <header className="jp-hubml-viewer-header">
        <div className="jp-hubml-viewer-title">
          <h2>{model.name}</h2>
          <span className="jp-hubml-viewer-project">{model.project}</span>
        </div>
        <div className="jp-hubml-viewer-actions">
          <Button
            label={trans.__('Open model card')}
            icon={listIcon}
            className="jp-hubml-open-model-card"
            onClick={() => void commands.execute(CommandIDs.openModelCard, args)}
          />
          <Button
            label={trans.__('Serve')}
            icon={launchIcon}
            accept
            className="jp-hubml-serve"
            onClick={() => void commands.execute(CommandIDs.serveModel, args)}
          />
        </div>
      </header>
      <ErrorNote title={trans.__('Could not load the model.')} message={model.error} />
      <div className="jp-hubml-viewer-body">
        <div className="jp-hubml-columns">
          <section>
            <h3 className="jp-hubml-section-title">{trans.__('Versions')}</h3>
            <VersionsTable model={model} />
          </section>
          <AliasEditor model={model} />
        </div>
        {model.detail && (
          <VersionDetail project={model.project} detail={model.detail} />
        )}
      </div>
    </div>
  );
}
