import { infoIcon, refreshIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { ISignal, Signal } from '@lumino/signaling';
import * as React from 'react';

import { DatasetsView } from './components/datasets';
import {
  HubMLContext,
  IconButton,
  IHubMLContext,
  useHubML,
  useSignal
} from './components/common';
import { JobsView } from './components/jobs';
import { ModelsView } from './components/models';
import { ProjectsView } from './components/projects';
import { hubmlIcon } from './icons';
import { DatasetsModel } from './models/datasets';
import { JobsModel } from './models/jobs';
import { ModelsModel } from './models/models';
import { ProjectsModel } from './models/projects';
import { StatusView } from './panel';
import { ChangeFeed, Part } from './models/changes';
import { PollingWidget } from './polling';
import { StatusModel } from './status';

/** The id of the hubml sidebar (unchanged since the status-only panel). */
export const PANEL_ID = 'hubml-panel';

/** The sidebar's tabs, in order. */
export const TABS = [
  'projects',
  'datasets',
  'models',
  'jobs',
  'environment'
] as const;
export type TabName = (typeof TABS)[number];

/** Every model the sidebar shows. */
export interface ISidebarModels {
  projects: ProjectsModel;
  datasets: DatasetsModel;
  models: ModelsModel;
  jobs: JobsModel;
  status: StatusModel;
}

function ProjectPicker(props: { model: ProjectsModel }): JSX.Element {
  const { trans } = useHubML();
  const { model } = props;
  useSignal(model.changed);
  useSignal(model.current.changed);
  const names = (model.projects ?? []).map(p => p.name);
  const current = model.current.name;
  return (
    <label className="jp-hubml-project-picker">
      <span className="jp-hubml-project-picker-label">{trans.__('Project')}</span>
      <select
        className="jp-hubml-project-select"
        aria-label={trans.__('Current project')}
        value={current ?? ''}
        disabled={names.length === 0}
        onChange={event => model.current.set(event.target.value || null)}
      >
        {names.length === 0 && <option value="">{trans.__('(none)')}</option>}
        {current !== null && !names.includes(current) && (
          <option value={current}>{current}</option>
        )}
        {names.map(name => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

function SidebarView(props: {
  sidebar: HubMLSidebar;
  models: ISidebarModels;
}): JSX.Element {
  const { trans } = useHubML();
  const { sidebar, models } = props;
  useSignal(sidebar.tabChanged);
  const tab = sidebar.tab;
  const labels: { [name in TabName]: string } = {
    projects: trans.__('Projects'),
    datasets: trans.__('Datasets'),
    models: trans.__('Models'),
    jobs: trans.__('Jobs'),
    environment: trans.__('Environment')
  };
  return (
    <div className="jp-hubml-sidebar">
      <header className="jp-hubml-sidebar-header">
        <hubmlIcon.react tag="span" className="jp-hubml-logo" />
        <ProjectPicker model={models.projects} />
        <button
          type="button"
          role="tab"
          className={
            'jp-hubml-icon-button jp-hubml-tab-button' +
            (tab === 'environment' ? ' jp-mod-current' : '')
          }
          data-tab="environment"
          aria-selected={tab === 'environment'}
          title={labels.environment}
          aria-label={labels.environment}
          onClick={() => sidebar.showTab('environment')}
        >
          <infoIcon.react tag="span" />
        </button>
        <IconButton
          icon={refreshIcon}
          label={trans.__('Refresh now')}
          className="jp-hubml-refresh-all"
          onClick={() => void sidebar.refreshNow()}
        />
      </header>
      <nav className="jp-hubml-tabs" role="tablist">
        {TABS.filter(name => name !== 'environment').map(name => (
          <button
            key={name}
            type="button"
            role="tab"
            className={`jp-hubml-tab${name === tab ? ' jp-mod-current' : ''}`}
            data-tab={name}
            aria-selected={name === tab}
            title={labels[name]}
            onClick={() => sidebar.showTab(name)}
          >
            {labels[name]}
          </button>
        ))}
      </nav>
      <div className="jp-hubml-tab-panel" role="tabpanel" aria-label={labels[tab]}>
        {tab === 'projects' && <ProjectsView model={models.projects} />}
        {tab === 'datasets' && <DatasetsView model={models.datasets} />}
        {tab === 'models' && <ModelsView model={models.models} />}
        {tab === 'jobs' && <JobsView model={models.jobs} />}
        {tab === 'environment' && (
          <div className="jp-hubml-tab-body jp-hubml-environment">
            <StatusView model={models.status} trans={trans} />
          </div>
        )}
      </div>
    </div>
  );
}

/**
 * The hubml sidebar: a project picker and one tab per panel. While it is
 * visible it watches the current project on the change feed and fetches the
 * project list and the open tab's listing only when their fingerprint changed
 * (or a fetch failed), and at once after a tab switch, a project switch, its
 * own writes and the refresh button.
 */
export class HubMLSidebar extends PollingWidget {
  constructor(
    readonly models: ISidebarModels,
    private readonly _context: IHubMLContext,
    readonly feed: ChangeFeed = new ChangeFeed()
  ) {
    super(feed);
    this.id = PANEL_ID;
    this.addClass('jp-hubml-panel');
    this.title.icon = hubmlIcon;
    this.title.caption = _context.trans.__('hubml');
    models.projects.current.changed.connect(() => this.watchAgain());
  }

  get commands(): CommandRegistry {
    return this._context.commands;
  }

  /** The tab shown. */
  get tab(): TabName {
    return this._tab;
  }

  get tabChanged(): ISignal<HubMLSidebar, TabName> {
    return this._tabChanged;
  }

  /** Show a tab (and fetch what it shows at once). */
  showTab(tab: TabName): void {
    if (tab !== this._tab) {
      this._tab = tab;
      this._tabChanged.emit(tab);
      if (this.watching) {
        void this.refreshNow();
      }
    }
  }

  protected get watchedProject(): string | null {
    return this.models.projects.current.name;
  }

  protected async poll(changed: (part: Part) => boolean): Promise<void> {
    const { projects, datasets, models, jobs, status } = this.models;
    const due = (part: Part, model: { error: string | null }) =>
      changed(part) || model.error !== null;
    const work: Promise<void>[] = [];
    if (due('projects', projects)) {
      work.push(projects.refresh());
    }
    switch (this._tab) {
      case 'datasets':
        if (due('datasets', datasets)) {
          work.push(datasets.refresh());
        }
        break;
      case 'models':
        if (due('models', models)) {
          work.push(models.refresh());
        }
        break;
      case 'jobs':
        // runs that code logs change the MLflow store (the models fingerprint)
        if (due('jobs', jobs) || changed('models') || jobs.runs.error !== null) {
          work.push(jobs.refresh());
        }
        break;
      case 'environment':
        if (!status.status && !status.loading) {
          work.push(status.refresh());
        }
        break;
    }
    await Promise.all(work);
  }

  protected render(): JSX.Element {
    return (
      <HubMLContext.Provider value={this._context}>
        <SidebarView sidebar={this} models={this.models} />
      </HubMLContext.Provider>
    );
  }

  private _tab: TabName = 'projects';
  private _tabChanged = new Signal<HubMLSidebar, TabName>(this);
}
