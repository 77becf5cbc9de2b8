import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ISchemaChanges } from '../api';

interface IRow {
  name: string;
  kind: 'added' | 'removed' | 'changed';
  before: string | null;
  after: string | null;
}

function rowsOf(changes: ISchemaChanges): IRow[] {
  return [
    ...(changes.added ?? []).map(c => ({
      name: c.name,
      kind: 'added' as const,
      before: null,
      after: c.dtype
    })),
    ...(changes.removed ?? []).map(c => ({
      name: c.name,
      kind: 'removed' as const,
      before: c.dtype,
      after: null
    })),
    ...(changes.changed ?? []).map(c => ({
      name: c.name,
      kind: 'changed' as const,
      before: c.old,
      after: c.new
    }))
  ];
}

/** The differences of a 409 schema_changed upload, as a table. */
export function SchemaChangesBody(props: {
  trans: TranslationBundle;
  file: string;
  changes: ISchemaChanges;
}): JSX.Element {
  const { trans, file, changes } = props;
  const rows = rowsOf(changes);
  const counts = changes.counts;
  const total = counts ? counts.added + counts.removed + counts.changed : rows.length;
  const label = {
    added: trans.__('added'),
    removed: trans.__('removed'),
    changed: trans.__('type changed')
  };
  const none = '—';
  return (
    <div className="jp-hubml-schema-diff">
      <p className="jp-hubml-dialog-intro">
        {trans.__(
          '%1 does not have the columns of version %2 of %3. Saved, it becomes version %4: what “latest” means for scripts, training and models from now on.',
          file,
          changes.version,
          changes.dataset,
          changes.version + 1
        )}
      </p>
      <table className="jp-hubml-schema-diff-table">
        <thead>
          <tr>
            <th>{trans.__('Column')}</th>
            <th>{trans.__('Change')}</th>
            <th>{trans.__('Version %1', changes.version)}</th>
            <th>{trans.__('This file')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(row => (
            <tr key={`${row.kind}:${row.name}`} data-change={row.kind}>
              <td className="jp-hubml-schema-diff-column">{row.name}</td>
              <td>
                <span className="jp-hubml-schema-diff-kind" data-change={row.kind}>
                  {label[row.kind]}
                </span>
              </td>
              <td className="jp-hubml-schema-diff-dtype">{row.before ?? none}</td>
              <td className="jp-hubml-schema-diff-dtype">{row.after ?? none}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > rows.length && (
        <p className="jp-hubml-hint">
          {trans.__('and %1 more changes', total - rows.length)}
        </p>
      )}
      <p className="jp-hubml-hint">
        {trans.__(
          'Version %1 stays as it is. To keep both apart, cancel and upload the file under another name.',
          changes.version
        )}
      </p>
    </div>
  );
}

/** Ask whether to save an upload whose columns differ; true to save it. */
export async function confirmSchemaChange(
  trans: TranslationBundle,
  file: string,
  changes: ISchemaChanges
): Promise<boolean> {
  const result = await showDialog({
    title: trans.__('Other columns than %1 version %2', changes.dataset, changes.version),
    body: <SchemaChangesBody trans={trans} file={file} changes={changes} />,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Save as new version') })
    ]
  });
  return result.button.accept;
}
