import { TranslationBundle } from '@jupyterlab/translation';
import { folderIcon, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IFrameworkStatus, IStatus, StatusModel } from './status';

interface IViewProps {
  model: StatusModel;
  trans: TranslationBundle;
}

/** Re-render whenever the model changes. */
function useModel(model: StatusModel): void {
  const [, setTick] = React.useState(0);
  React.useEffect(() => {
    const onChanged = () => setTick(tick => tick + 1);
    model.changed.connect(onChanged);
    return () => {
      model.changed.disconnect(onChanged);
    };
  }, [model]);
}

function Section(props: {
  title: string;
  className: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <section className={`jp-hubml-section ${props.className}`}>
      <h3 className="jp-hubml-section-title">{props.title}</h3>
      {props.children}
    </section>
  );
}

function ProfileSection(props: {
  status: IStatus;
  trans: TranslationBundle;
}): JSX.Element {
  const { status, trans } = props;
  const profile = status.profile;
  const labels = new Map(status.frameworks.map(f => [f.name, f.label]));
  return (
    <Section title={trans.__('Profile')} className="jp-hubml-profile">
      {profile ? (
        <>
          <div className="jp-hubml-profile-name" data-profile={profile.name}>
            {profile.display_name || profile.name}
          </div>
          {profile.description && (
            <p className="jp-hubml-profile-description">
              {profile.description}
            </p>
          )}
          {profile.frameworks.length > 0 && (
            <ul className="jp-hubml-chips">
              {profile.frameworks.map(name => (
                <li key={name} className="jp-hubml-chip" data-framework={name}>
                  {labels.get(name) ?? name}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="jp-hubml-muted jp-hubml-no-profile">
          {trans.__('No profile: this server was not started by the hub.')}
        </p>
      )}
    </Section>
  );
}

function FrameworkItem(props: {
  framework: IFrameworkStatus;
  inProfile: boolean;
  trans: TranslationBundle;
}): JSX.Element {
  const { framework: f, inProfile, trans } = props;
  // the embedded hub shares one environment: say which frameworks the profile is about
  const state = !f.importable
    ? trans.__('Not installed')
    : inProfile
      ? trans.__('Importable')
      : trans.__('Also installed, not part of this profile');
  return (
    <li
      className="jp-hubml-framework"
      data-framework={f.name}
      data-importable={String(f.importable)}
      data-in-profile={String(inProfile)}
      title={`${f.label} (${f.module}): ${state}`}
    >
      <span className="jp-hubml-dot" aria-label={state} role="img" />
      <span className="jp-hubml-framework-label">{f.label}</span>
      <span className="jp-hubml-framework-version">
        {f.importable ? f.version ?? '' : trans.__('not installed')}
      </span>
    </li>
  );
}

function StatusBody(props: {
  status: IStatus;
  trans: TranslationBundle;
}): JSX.Element {
  const { status, trans } = props;
  return (
    <>
      <ProfileSection status={status} trans={trans} />
      <Section
        title={trans.__('Frameworks in this environment')}
        className="jp-hubml-frameworks"
      >
        <ul className="jp-hubml-list">
          {status.frameworks.map(f => (
            <FrameworkItem
              key={f.name}
              framework={f}
              inProfile={
                !status.profile || status.profile.frameworks.includes(f.name)
              }
              trans={trans}
            />
          ))}
        </ul>
      </Section>
      <Section
        title={trans.__('Project folders')}
        className="jp-hubml-project-roots"
      >
        {status.project_roots.length > 0 ? (
          <ul className="jp-hubml-list">
            {status.project_roots.map(root => (
              <li key={root} className="jp-hubml-project-root" title={root}>
                <folderIcon.react tag="span" className="jp-hubml-item-icon" />
                <span className="jp-hubml-path">
                  {/* LRM marks keep the slashes in place under direction: rtl */}
                  {`\u200E${root}\u200E`}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="jp-hubml-muted">{trans.__('No project folders.')}</p>
        )}
      </Section>
      {status.server?.user && (
        <footer className="jp-hubml-footer">
          {trans.__('Server of %1', status.server.user)}
        </footer>
      )}
    </>
  );
}

/** The Environment tab: profile, frameworks, project folders. */
export function StatusView(props: IViewProps): JSX.Element {
  const { model, trans } = props;
  useModel(model);
  const { status, error, loading } = model;
  return (
    <div className="jp-hubml-content" aria-busy={loading}>
      <header className="jp-hubml-header">
        <h2 className="jp-hubml-title">{trans.__('hubml')}</h2>
        {status && (
          <span className="jp-hubml-version">
            {trans.__('v%1', status.version)}
          </span>
        )}
        <button
          type="button"
          className="jp-hubml-refresh"
          title={trans.__('Refresh')}
          aria-label={trans.__('Refresh')}
          disabled={loading}
          onClick={() => void model.refresh()}
        >
          <refreshIcon.react tag="span" />
        </button>
      </header>
      {error && (
        <div className="jp-hubml-error" role="alert">
          <strong>{trans.__('Could not load the status.')}</strong>
          <span className="jp-hubml-error-message">{error}</span>
        </div>
      )}
      {loading && !status && (
        <div className="jp-hubml-loading">{trans.__('Loading…')}</div>
      )}
      {status && <StatusBody status={status} trans={trans} />}
    </div>
  );
}
