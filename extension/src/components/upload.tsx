import { closeIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IUploadState } from '../models/datasets';
import { formatBytes, IconButton, useHubML } from './common';

/** An upload: its progress bar, then what became of the file. */
export function UploadStatus(props: {
  upload: IUploadState;
  onDismiss: () => void;
}): JSX.Element {
  const { trans } = useHubML();
  const { upload } = props;
  const fraction = upload.total > 0 ? upload.loaded / upload.total : 0;
  const percent = Math.round(
    upload.state === 'done' ? 100 : Math.min(99, fraction * 100)
  );
  const text =
    upload.state === 'uploading'
      ? fraction >= 1
        ? trans.__('Reading %1…', upload.file)
        : trans.__(
            'Uploading %1: %2 of %3',
            upload.file,
            formatBytes(upload.loaded),
            formatBytes(upload.total)
          )
      : upload.state === 'done'
        ? upload.result?.dataset
          ? upload.result.unchanged
            ? trans.__(
                '%1 is unchanged: version %2 of %3 already holds this data.',
                upload.file,
                upload.result.dataset.version,
                upload.result.dataset.name
              )
            : trans.__(
                'Saved %1 as version %2 of %3.',
                upload.file,
                upload.result.dataset.version,
                upload.result.dataset.name
              )
          : trans.__('Stored %1 in %2.', upload.file, upload.result?.raw ?? '')
        : upload.state === 'confirming'
          ? trans.__(
              '%1 has other columns than version %2 of %3: save it or cancel.',
              upload.file,
              upload.changes?.version ?? '',
              upload.changes?.dataset ?? ''
            )
          : upload.state === 'cancelled'
            ? trans.__('Did not save %1: the columns differ and you cancelled.', upload.file)
            : trans.__('Could not upload %1: %2', upload.file, upload.error ?? '');
  const notes = upload.state === 'done' ? (upload.result?.notes ?? []) : [];
  return (
    <div className="jp-hubml-upload" data-state={upload.state} role="status">
      <div className="jp-hubml-upload-text">
        <span>{text}</span>
        {upload.state !== 'uploading' && upload.state !== 'confirming' && (
          <IconButton
            icon={closeIcon}
            label={trans.__('Dismiss')}
            onClick={props.onDismiss}
          />
        )}
      </div>
      {notes.map(note => (
        <div key={note} className="jp-hubml-upload-note">
          {note}
        </div>
      ))}
      <div
        className="jp-hubml-progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="jp-hubml-progress-bar" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
