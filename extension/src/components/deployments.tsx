import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, shareIcon, stopIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IDeployment, IShares } from '../api';
import { CommandIDs } from '../commands';
import { parseNames } from '../form-rules';
import { DeploymentsModel } from '../models/deployments';
import { Button, Chip, ErrorNote, Muted, useHubML, useSignal } from './common';

/** The body of the Share dialog: hub users and groups, comma-separated. */
export class ShareForm extends ReactWidget {
  constructor(
    private readonly _trans: TranslationBundle,
    shares: IShares
  ) {
    super();
    this.addClass('jp-hubml-dialog-form');
    this.addClass('jp-hubml-share-form');
    this._users = shares.users.join(', ');
    this._groups = shares.groups.join(', ');
  }

  getValue(): IShares {
    return { users: parseNames(this._users), groups: parseNames(this._groups) };
  }

  protected render(): JSX.Element {
    const trans = this._trans;
    return (
      <>
        <label>
          {trans.__('Users')}
          <input
            className="jp-mod-styled jp-hubml-share-users"
            value={this._users}
            placeholder={trans.__('hub user names, separated by commas')}
            onChange={event => {
              this._users = event.target.value;
              this.update();
            }}
          />
        </label>
        <label>
          {trans.__('Groups')}
          <input
            className="jp-mod-styled jp-hubml-share-groups"
            value={this._groups}
            placeholder={trans.__('hub group names, separated by commas')}
            onChange={event => {
              this._groups = event.target.value;
              this.update();
            }}
          />
        </label>
        <p className="jp-hubml-muted">
          {trans.__('Exactly these users and groups can use it; others lose access.')}
        </p>
      </>
    );
  }

  private _users: string;
  private _groups: string;
}

function DeploymentRow(props: { project: string; deployment: IDeployment }): JSX.Element {
  const { trans, commands } = useHubML();
  const { project, deployment: d } = props;
  const what =
    d.kind === 'model' && d.model
      ? d.model.alias
        ? trans.__('model %1 (%2)', d.model.name, d.model.alias)
        : trans.__('model %1 v%2', d.model.name, d.model.version ?? '?')
      : trans.__('dashboard %1', d.path ?? '');
  const shared = [...(d.shared_with?.users ?? []), ...(d.shared_with?.groups ?? [])];
  return (
    <li
      className="jp-hubml-row jp-hubml-deployment-row"
      data-name={d.name}
      data-kind={d.kind}
      data-status={d.status}
    >
      <span className="jp-hubml-row-main">
        <span className="jp-hubml-row-title">{d.name}</span>
        <span className="jp-hubml-row-subtitle">
          <span className="jp-hubml-state" data-state={d.status}>
            {d.status}
          </span>
          {` ${what}`}
        </span>
        {shared.length > 0 && (
          <span className="jp-hubml-row-tags">
            {shared.map(name => (
              <Chip key={name} className="jp-hubml-share">
                {name}
              </Chip>
            ))}
          </span>
        )}
        <span className="jp-hubml-deployment-actions">
          <a
            className="jp-hubml-deployment-url"
            href={d.url}
            target="_blank"
            rel="noopener noreferrer"
            title={d.url}
          >
            {trans.__('Open')}
          </a>
          <Button
            label={trans.__('Share…')}
            icon={shareIcon}
            className="jp-hubml-share-deployment"
            onClick={() =>
              void commands.execute(CommandIDs.shareDeployment, { project, name: d.name })
            }
          />
          <Button
            label={trans.__('Stop')}
            icon={stopIcon}
            className="jp-hubml-stop-deployment"
            onClick={() =>
              void commands.execute(CommandIDs.stopDeployment, { project, name: d.name })
            }
          />
        </span>
      </span>
    </li>
  );
}

/** The Models tab's second list: served models and published dashboards. */
export function DeploymentsSection(props: { model: DeploymentsModel }): JSX.Element | null {
  const { trans } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  const project = model.project;
  if (!project) {
    return null;
  }
  const list = model.deployments;
  return (
    <section className="jp-hubml-deployments">
      <h3 className="jp-hubml-section-title">{trans.__('Deployments')}</h3>
      <ErrorNote title={trans.__('Could not load the deployments.')} message={model.error} />
      {model.unavailable && (
        <p className="jp-hubml-muted jp-hubml-deployments-unavailable">{model.unavailable}</p>
      )}
      {list === null && model.loading && <Muted>{trans.__('Loading…')}</Muted>}
      {list !== null && list.length === 0 && !model.unavailable && (
        <p className="jp-hubml-muted">
          {trans.__('No deployments yet: serve a model from its page, or publish a dashboard.')}
        </p>
      )}
      {list !== null && list.length > 0 && (
        <ul className="jp-hubml-rows" aria-label={trans.__('Deployments')}>
          {list.map(d => (
            <DeploymentRow key={d.name} project={project} deployment={d} />
          ))}
        </ul>
      )}
    </section>
  );
}
