import { closeIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { messageOf } from '../models/resource';
import { ModelViewerModel } from '../models/model-viewer';
import { ErrorNote, IconButton, Muted, useHubML, useSignal } from './common';

/** Names offered while typing an alias. */
const SUGGESTIONS = ['production', 'staging', 'champion', 'challenger'];

/** The aliases of a model: set one on a version, move it, remove it. */
export function AliasEditor(props: { model: ModelViewerModel }): JSX.Element {
  const { trans } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  const versions = (model.model?.versions ?? [])
    .map(v => v.version)
    .sort((a, b) => b - a);
  const [alias, setAlias] = React.useState('');
  const [version, setVersion] = React.useState<number | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const chosen = version ?? model.version ?? versions[0] ?? null;
  const aliases = Object.entries(model.model?.aliases ?? {}).sort(([a], [b]) =>
    a.localeCompare(b)
  );
  const exists = aliases.some(([name]) => name === alias.trim());

  const run = async (write: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await write();
      setAlias('');
    } catch (reason) {
      setError(messageOf(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="jp-hubml-aliases">
      <h3 className="jp-hubml-section-title">{trans.__('Aliases')}</h3>
      {aliases.length === 0 ? (
        <Muted>
          {trans.__(
            'No aliases. An alias such as "production" names the version to serve.'
          )}
        </Muted>
      ) : (
        <ul className="jp-hubml-chips">
          {aliases.map(([name, v]) => (
            <li
              key={name}
              className="jp-hubml-chip jp-hubml-alias"
              data-alias={name}
              data-version={v}
            >
              <span>{trans.__('%1 → v%2', name, v)}</span>
              <IconButton
                icon={closeIcon}
                label={trans.__('Remove alias %1', name)}
                className="jp-hubml-remove-alias"
                disabled={busy}
                onClick={() => void run(() => model.removeAlias(name))}
              />
            </li>
          ))}
        </ul>
      )}
      <form
        className="jp-hubml-alias-form"
        onSubmit={event => {
          event.preventDefault();
          if (alias.trim() && chosen !== null) {
            void run(() => model.setAlias(alias.trim(), chosen));
          }
        }}
      >
        <input
          className="jp-hubml-alias-input"
          list="jp-hubml-alias-suggestions"
          placeholder={trans.__('alias, e.g. production')}
          aria-label={trans.__('Alias')}
          value={alias}
          onChange={event => setAlias(event.target.value)}
        />
        <datalist id="jp-hubml-alias-suggestions">
          {SUGGESTIONS.map(a => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <select
          className="jp-hubml-alias-version"
          aria-label={trans.__('Version')}
          value={chosen ?? ''}
          onChange={event => setVersion(Number(event.target.value))}
        >
          {versions.map(v => (
            <option key={v} value={v}>
              {trans.__('version %1', v)}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="jp-Button jp-mod-styled jp-mod-accept jp-hubml-set-alias"
          disabled={busy || !alias.trim() || chosen === null}
        >
          {exists ? trans.__('Move alias') : trans.__('Set alias')}
        </button>
      </form>
      <ErrorNote title={trans.__('The alias was not changed.')} message={error} />
    </section>
  );
}
