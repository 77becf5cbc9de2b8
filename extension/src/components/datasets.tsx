import {
  caretDownIcon,
  caretRightIcon,
  fileUploadIcon,
  tableRowsIcon
} from '@jupyterlab/ui-components';
import { Notification } from '@jupyterlab/apputils';
import * as React from 'react';

import { IDatasetSummary, IDatasetVersion } from '../api';
import { CommandIDs } from '../commands';
import { DatasetsModel } from '../models/datasets';
import { confirmSchemaChange } from './schema-changes';
import { UploadStatus } from './upload';
import {
  Button,
  Chip,
  ErrorNote,
  formatAgo,
  formatCount,
  IconButton,
  Muted,
  useHubML,
  useSignal
} from './common';

/** The file types the server can parse (the file picker's filter). */
const ACCEPT = '.csv,.tsv,.txt,.parquet,.pq,.json,.jsonl,.ndjson,.xlsx,.xls';

function VersionRow(props: {
  project: string;
  version: IDatasetVersion;
}): JSX.Element {
  const { trans, commands } = useHubML();
  const { project, version: v } = props;
  const open = () =>
    void commands.execute(CommandIDs.openDataset, {
      project,
      name: v.name,
      version: v.version
    });
  return (
    <li
      className="jp-hubml-subrow jp-hubml-dataset-version"
      data-version={v.version}
      tabIndex={0}
      title={trans.__('Open version %1 of %2', v.version, v.name)}
      onClick={open}
      onKeyDown={event => event.key === 'Enter' && open()}
    >
      <span className="jp-hubml-version-label">
        {trans.__('v%1', v.version)}
      </span>
      <span className="jp-hubml-subrow-text">
        {[
          trans.__('%1 rows', formatCount(v.rows)),
          v.source?.type,
          formatAgo(v.created, trans)
        ]
          .filter(Boolean)
          .join(' · ')}
      </span>
    </li>
  );
}

function DatasetRow(props: {
  model: DatasetsModel;
  dataset: IDatasetSummary;
}): JSX.Element {
  const { trans, commands } = useHubML();
  const { model, dataset } = props;
  const project = model.project as string;
  const expanded = model.isExpanded(dataset.name);
  const versions = expanded ? model.versions(dataset.name) : null;
  const latest = dataset.latest;
  const open = () =>
    void commands.execute(CommandIDs.openDataset, {
      project,
      name: dataset.name,
      version: latest.version
    });
  return (
    <li className="jp-hubml-row-group">
      <div
        className="jp-hubml-row jp-hubml-dataset-row"
        data-name={dataset.name}
        tabIndex={0}
        title={latest.description || trans.__('Open %1', dataset.name)}
        onClick={open}
        onKeyDown={event => event.key === 'Enter' && open()}
      >
        <IconButton
          icon={expanded ? caretDownIcon : caretRightIcon}
          label={
            expanded ? trans.__('Hide versions') : trans.__('Show versions')
          }
          className="jp-hubml-expand"
          onClick={() => model.toggle(dataset.name)}
        />
        <span className="jp-hubml-row-main">
          <span className="jp-hubml-row-title">{dataset.name}</span>
          <span className="jp-hubml-row-subtitle">
            {trans.__(
              '%1 rows × %2 cols · %3',
              formatCount(latest.rows),
              latest.columns.length,
              formatAgo(latest.created, trans)
            )}
          </span>
        </span>
        <Chip
          className="jp-hubml-version-count"
          title={trans._n(
            '%1 version',
            '%1 versions',
            dataset.versions,
            dataset.versions
          )}
        >
          {trans.__('v%1', latest.version)}
        </Chip>
      </div>
      {expanded && (
        <ul className="jp-hubml-subrows">
          {versions === null ? (
            <li className="jp-hubml-subrow jp-hubml-muted">
              {trans.__('Loading…')}
            </li>
          ) : (
            versions.map(v => (
              <VersionRow key={v.version} project={project} version={v} />
            ))
          )}
        </ul>
      )}
    </li>
  );
}

/** The Datasets tab: datasets and versions, upload by button and by drop. */
export function DatasetsView(props: { model: DatasetsModel }): JSX.Element {
  const { trans, commands } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  const [dragging, setDragging] = React.useState(false);
  const input = React.useRef<HTMLInputElement>(null);
  const project = model.project;

  const upload = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const result = await model.uploadFile(file, undefined, changes =>
        confirmSchemaChange(trans, file.name, changes)
      );
      if (result?.unchanged && result.dataset) {
        Notification.info(
          trans.__(
            'Dataset %1 is unchanged: version %2 already holds the data of %3, so no new version was made.',
            result.dataset.name,
            result.dataset.version,
            file.name
          ),
          { autoClose: 6000 }
        );
      } else if (result?.dataset && project) {
        void commands.execute(CommandIDs.openDataset, {
          project,
          name: result.dataset.name,
          version: result.dataset.version
        });
      }
    }
  };
  const hasFiles = (event: React.DragEvent) =>
    Array.from(event.dataTransfer?.types ?? []).includes('Files');

  if (!project) {
    return (
      <div className="jp-hubml-tab-body jp-hubml-datasets">
        <Muted>{trans.__('Choose or create a project first.')}</Muted>
      </div>
    );
  }
  const datasets = model.datasets;
  return (
    <div
      className={
        'jp-hubml-tab-body jp-hubml-datasets jp-hubml-dropzone' +
        (dragging ? ' jp-mod-dragging' : '')
      }
      onDragOver={event => {
        if (hasFiles(event)) {
          event.preventDefault();
          event.stopPropagation();
          event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }
      }}
      onDragLeave={event => {
        if (!event.currentTarget.contains(event.relatedTarget as Node)) {
          setDragging(false);
        }
      }}
      onDrop={event => {
        if (hasFiles(event)) {
          event.preventDefault();
          event.stopPropagation();
          setDragging(false);
          void upload(event.dataTransfer.files);
        }
      }}
    >
      <div className="jp-hubml-toolbar">
        <Button
          label={trans.__('Upload')}
          icon={fileUploadIcon}
          accept
          className="jp-hubml-upload-button"
          title={trans.__('Upload CSV, TSV, Parquet, JSON lines or Excel files')}
          onClick={() => input.current?.click()}
        />
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          className="jp-hubml-file-input"
          hidden
          onChange={event => {
            const files = event.target.files;
            void upload(files).finally(() => (event.target.value = ''));
          }}
        />
        <Button
          label={trans.__('Data Studio')}
          icon={tableRowsIcon}
          className="jp-hubml-data-studio-button"
          onClick={() =>
            void commands.execute(CommandIDs.openDataStudio, { project })
          }
        />
      </div>
      {model.upload && (
        <UploadStatus upload={model.upload} onDismiss={() => model.dismissUpload()} />
      )}
      <ErrorNote title={trans.__('Could not load the datasets.')} message={model.error} />
      {datasets === null && model.loading && <Muted>{trans.__('Loading…')}</Muted>}
      {datasets !== null && datasets.length === 0 && (
        <div className="jp-hubml-empty">
          <p>{trans.__('No datasets in %1 yet.', project)}</p>
          <p className="jp-hubml-muted">
            {trans.__('Drop a file here, or save one from code with p.save_dataset().')}
          </p>
        </div>
      )}
      {datasets !== null && datasets.length > 0 && (
        <ul className="jp-hubml-rows" aria-label={trans.__('Datasets')}>
          {datasets.map(d => (
            <DatasetRow key={d.name} model={model} dataset={d} />
          ))}
        </ul>
      )}
      <div className="jp-hubml-drop-hint" aria-hidden={!dragging}>
        {trans.__('Drop files to upload them to %1', project)}
      </div>
    </div>
  );
}
