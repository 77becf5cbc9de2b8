import { Chip, ErrorNote, Muted, useHubML, useSignal } from './common';
import * as React from 'react';

import { IModelSummary } from '../api';
import { CommandIDs } from '../commands';
import { ModelsModel } from '../models/models';
import { DeploymentsSection } from './deployments';

function ModelRow(props: { project: string; model: IModelSummary }): JSX.Element {
  const { trans, commands } = useHubML();
  const { project, model } = props;
  const open = () =>
    void commands.execute(CommandIDs.openModel, { project, name: model.name });
  const aliases = Object.entries(model.aliases ?? {}).sort(([a], [b]) =>
    a.localeCompare(b)
  );
  return (
    <li
      className="jp-hubml-row jp-hubml-model-row"
      data-name={model.name}
      tabIndex={0}
      title={trans.__('Open %1', model.name)}
      onClick={open}
      onKeyDown={event => event.key === 'Enter' && open()}
    >
      <span className="jp-hubml-row-main">
        <span className="jp-hubml-row-title">{model.name}</span>
        <span className="jp-hubml-row-subtitle">
          {[model.framework, model.task].filter(Boolean).join(' · ')}
        </span>
        {aliases.length > 0 && (
          <span className="jp-hubml-row-tags">
            {aliases.map(([alias, version]) => (
              <Chip
                key={alias}
                className="jp-hubml-alias"
                data={{ alias, version: String(version) }}
                title={trans.__('%1 → version %2', alias, version)}
              >
                {trans.__('%1 → v%2', alias, version)}
              </Chip>
            ))}
          </span>
        )}
      </span>
      <Chip className="jp-hubml-version-count">
        {trans.__('v%1', model.latest_version)}
      </Chip>
    </li>
  );
}

/** The Models tab: registered models with their latest version and aliases. */
export function ModelsView(props: { model: ModelsModel }): JSX.Element {
  const { trans } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  const project = model.project;
  if (!project) {
    return (
      <div className="jp-hubml-tab-body jp-hubml-models">
        <Muted>{trans.__('Choose or create a project first.')}</Muted>
      </div>
    );
  }
  const models = model.models;
  return (
    <div className="jp-hubml-tab-body jp-hubml-models">
      <ErrorNote title={trans.__('Could not load the models.')} message={model.error} />
      {models === null && model.loading && <Muted>{trans.__('Loading…')}</Muted>}
      {models !== null && models.length === 0 && (
        <div className="jp-hubml-empty">
          <p>{trans.__('No registered models in %1 yet.', project)}</p>
          <p className="jp-hubml-muted">
            {trans.__(
              'Train one with the training form, a script from a template, or p.register_model().'
            )}
          </p>
        </div>
      )}
      {models !== null && models.length > 0 && (
        <ul className="jp-hubml-rows" aria-label={trans.__('Models')}>
          {models.map(m => (
            <ModelRow key={m.name} project={project} model={m} />
          ))}
        </ul>
      )}
      <DeploymentsSection model={model.deployments} />
    </div>
  );
}
