import { tableRowsIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IDatasetVersionDetail, IPreview } from '../api';
import { CommandIDs } from '../commands';
import { DatasetViewerModel, PAGE_SIZES } from '../models/dataset-viewer';
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

/** A cell of the preview as text (null shows as an empty, marked cell). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Whether a pandas dtype holds numbers (its cells align right). */
function isNumeric(dtype: string | undefined): boolean {
  return /^(u?int|float|Int|UInt|Float)\d*/.test(dtype ?? '');
}

function PreviewTable(props: { page: IPreview }): JSX.Element {
  const { page } = props;
  const numeric = page.columns.map((_, i) => isNumeric(page.dtypes[i]));
  return (
    <div className="jp-hubml-table-scroll">
      <table className="jp-hubml-table jp-hubml-preview-table">
        <thead>
          <tr>
            <th className="jp-hubml-rownum">#</th>
            {page.columns.map((name, i) => (
              <th key={name} data-column={name}>
                <span className="jp-hubml-col-name">{name}</span>
                <span className="jp-hubml-col-dtype">{page.dtypes[i]}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {page.rows.map((row, r) => (
            <tr key={page.offset + r}>
              <td className="jp-hubml-rownum">{page.offset + r + 1}</td>
              {row.map((value, c) => (
                <td
                  key={c}
                  className={
                    [
                      numeric[c] || typeof value === 'number' ? 'jp-hubml-num' : '',
                      value === null || value === undefined ? 'jp-hubml-null' : ''
                    ].join(' ').trim() || undefined
                  }
                >
                  {cellText(value)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Pager(props: { model: DatasetViewerModel }): JSX.Element {
  const { trans } = useHubML();
  const { model } = props;
  const total = model.page?.total ?? model.detail?.rows ?? 0;
  const first = total === 0 ? 0 : model.offset + 1;
  const last = Math.min(model.offset + model.limit, total);
  return (
    <div className="jp-hubml-pager">
      <Button
        label={trans.__('Previous')}
        className="jp-hubml-prev"
        disabled={!model.hasPrevious}
        onClick={() => model.previous()}
      />
      <span className="jp-hubml-pager-text" aria-live="polite">
        {trans.__('Rows %1–%2 of %3', formatCount(first), formatCount(last), formatCount(total))}
      </span>
      <Button
        label={trans.__('Next')}
        className="jp-hubml-next"
        disabled={!model.hasNext}
        onClick={() => model.next()}
      />
      <label className="jp-hubml-page-size">
        {trans.__('Rows per page')}
        <select
          value={model.limit}
          onChange={event => model.setLimit(Number(event.target.value))}
        >
          {PAGE_SIZES.map(size => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

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
            <Pager model={model} />
            {model.page ? (
              <PreviewTable page={model.page} />
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
