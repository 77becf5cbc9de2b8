import { tableRowsIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IDatasetVersionDetail } from '../api';
import { CommandIDs } from '../commands';
import { DatasetViewerModel } from '../models/dataset-viewer';
import { FilterBar, Pager, PreviewTable } from './dataset-grid';
import {
  Button,
  ErrorNote,
  formatCount,
  formatNumber,
  formatTime,
  Muted,
  useHubML,
  useSignal
} from './common';
import { LineageView } from './lineage';

function SchemaTable(props: { detail: IDatasetVersionDetail }): JSX.Element {
  const { trans } = useHubML();
  const { detail } = props;
  const rows = detail.rows;
  return (
    <div className="jp-hubml-table-scroll">
      <table className="jp-hubml-table jp-hubml-schema-table">
        <thead>
          <tr>
            <th>{trans.__('Column')}</th>
            <th>{trans.__('Type')}</th>
            <th>{trans.__('Missing')}</th>
            <th>{trans.__('Distinct')}</th>
            <th>{trans.__('Min')}</th>
            <th>{trans.__('Max')}</th>
            <th>{trans.__('Mean')}</th>
            <th>{trans.__('Std')}</th>
          </tr>
        </thead>
        <tbody>
          {detail.columns.map(column => {
            const s = detail.statistics?.[column.name] ?? { missing: 0 };
            const share = rows > 0 ? s.missing / rows : 0;
            return (
              <tr key={column.name} data-column={column.name}>
                <td className="jp-hubml-col-name">{column.name}</td>
                <td className="jp-hubml-col-dtype">{column.dtype}</td>
                <td className="jp-hubml-num jp-hubml-missing" data-missing={s.missing}>
                  <span className="jp-hubml-missing-bar" aria-hidden="true">
                    <span style={{ width: `${Math.round(share * 100)}%` }} />
                  </span>
                  {formatCount(s.missing)}
                  {s.missing > 0 && (
                    <span className="jp-hubml-muted-inline">
                      {` (${(share * 100).toFixed(share < 0.01 ? 2 : 1)}%)`}
                    </span>
                  )}
                </td>
                <td className="jp-hubml-num">{formatNumber(s.distinct)}</td>
                <td className="jp-hubml-num">{formatNumber(s.min)}</td>
                <td className="jp-hubml-num">{formatNumber(s.max)}</td>
                <td className="jp-hubml-num">{formatNumber(s.mean)}</td>
                <td className="jp-hubml-num">{formatNumber(s.std)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

type ViewerTab = 'preview' | 'schema' | 'lineage';

/** A dataset version in the main area: preview, schema, lineage. */
export function DatasetViewerView(props: {
  model: DatasetViewerModel;
}): JSX.Element {
  const { trans, commands } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  const [tab, setTab] = React.useState<ViewerTab>('preview');
  const detail = model.detail;
  const versions = model.versions ?? [];
  const tabs: [ViewerTab, string][] = [
    ['preview', trans.__('Preview')],
    ['schema', trans.__('Schema')],
    ['lineage', trans.__('Lineage')]
  ];
  return (
    <div className="jp-hubml-viewer jp-hubml-dataset-viewer" data-name={model.name}>
      <header className="jp-hubml-viewer-header">
        <div className="jp-hubml-viewer-title">
          <h2>{model.name}</h2>
          <select
            className="jp-hubml-version-select"
            aria-label={trans.__('Version')}
            value={model.version ?? ''}
            onChange={event => model.setVersion(Number(event.target.value))}
          >
            {versions.map(v => (
              <option key={v.version} value={v.version}>
                {trans.__('version %1', v.version)}
              </option>
            ))}
          </select>
          <span className="jp-hubml-viewer-project">{model.project}</span>
        </div>
        <div className="jp-hubml-viewer-actions">
          <Button
            label={trans.__('Open in Data Studio')}
            icon={tableRowsIcon}
            accept
            className="jp-hubml-open-data-studio"
            onClick={() =>
              void commands.execute(CommandIDs.openDataStudio, {
                project: model.project,
                dataset: model.name,
                version: model.version ?? 0
              })
            }
          />
        </div>
      </header>
      {detail && (
        <p className="jp-hubml-viewer-meta">
          {trans.__(
            '%1 rows × %2 columns · saved %3 by %4',
            formatCount(detail.rows),
            detail.columns.length,
            formatTime(detail.created),
            detail.author ?? '?'
          )}
          {detail.description ? ` · ${detail.description}` : ''}
        </p>
      )}
      <ErrorNote title={trans.__('Could not load the dataset.')} message={model.error} />
      <nav className="jp-hubml-tabs jp-hubml-viewer-tabs" role="tablist">
        {tabs.map(([name, label]) => (
          <button
            key={name}
            type="button"
            role="tab"
            data-tab={name}
            aria-selected={name === tab}
            className={`jp-hubml-tab${name === tab ? ' jp-mod-current' : ''}`}
            onClick={() => setTab(name)}
          >
            {label}
          </button>
        ))}
      </nav>
      <div className="jp-hubml-viewer-body" aria-busy={model.pageLoading}>
        {tab === 'preview' && (
          <>
            {detail && (
              <FilterBar
                model={model}
                columns={detail.columns.map(c => c.name)}
                dtypes={detail.columns.map(c => c.dtype)}
              />
            )}
            <Pager model={model} />
            {model.page ? (
              <PreviewTable page={model.page} model={model} />
            ) : (
              <Muted>{trans.__('Loading…')}</Muted>
            )}
          </>
        )}
        {tab === 'schema' &&
          (detail ? <SchemaTable detail={detail} /> : <Muted>{trans.__('Loading…')}</Muted>)}
        {tab === 'lineage' &&
          (detail ? (
            <LineageView
              project={model.project}
              source={detail.lineage?.source ?? detail.source}
              recipe={detail.lineage?.recipe ?? detail.recipe}
              datasets={detail.lineage?.parents ?? detail.parents}
              datasetsTitle={trans.__('Parent versions')}
            />
          ) : (
            <Muted>{trans.__('Loading…')}</Muted>
          ))}
      </div>
    </div>
  );
}
