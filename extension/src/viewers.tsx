import { MainAreaWidget } from '@jupyterlab/apputils';
import * as React from 'react';

import { HubMLContext, IHubMLContext } from './components/common';
import { DatasetViewerView } from './components/dataset-viewer';
import { JobViewerView } from './components/job-viewer';
import { ModelViewerView } from './components/model-viewer';
import { RunViewerView } from './components/run-viewer';
import { hubmlIcon } from './icons';
import { DatasetViewerModel } from './models/dataset-viewer';
import { JobViewerModel } from './models/job-viewer';
import { jobTitle } from './models/jobs';
import { ModelViewerModel } from './models/model-viewer';
import { RunViewerModel } from './models/run-viewer';
import { ChangeFeed, Part } from './models/changes';
import { PollingWidget } from './polling';

/** A model that a viewer refreshes while it is visible. */
interface IPolled {
  readonly project: string;
  /** The message of a failed fetch, or null. */
  readonly error: string | null;
  refresh(): Promise<void>;
}

/**
 * The content of a viewer: renders a view and, while visible, refreshes its
 * model when the change feed says the `part` of its project changed (and
 * on every answer while a fetch has failed, which the model retries itself).
 */
class PolledContent extends PollingWidget {
  constructor(
    private readonly _model: IPolled,
    private readonly _part: Part,
    private readonly _context: IHubMLContext,
    private readonly _view: () => JSX.Element,
    feed: ChangeFeed
  ) {
    super(feed);
    this.addClass('jp-hubml-viewer-content');
  }

  protected get watchedProject(): string {
    return this._model.project;
  }

  protected poll(changed: (part: Part) => boolean): Promise<void> {
    if (changed(this._part) || this._model.error !== null) {
      return this._model.refresh(); // it also retries what failed
    }
    return Promise.resolve();
  }

  protected render(): JSX.Element {
    return (
      <HubMLContext.Provider value={this._context}>
        {this._view()}
      </HubMLContext.Provider>
    );
  }
}

/** A stable widget id for a dataset, model or job of a project. */
export function viewerId(
  kind: 'dataset' | 'model' | 'job' | 'run',
  project: string,
  name: string
): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return `hubml-${kind}-${safe(project)}-${safe(name)}`;
}

/** A dataset (one version at a time) in the main area. */
export class DatasetViewer extends MainAreaWidget<PolledContent> {
  constructor(
    readonly model: DatasetViewerModel,
    context: IHubMLContext,
    feed: ChangeFeed
  ) {
    super({
      content: new PolledContent(
        model,
        'datasets',
        context,
        () => <DatasetViewerView model={model} />,
        feed
      )
    });
    this.id = viewerId('dataset', model.project, model.name);
    this.addClass('jp-hubml-dataset-viewer-widget');
    this.title.label = model.name;
    this.title.caption = context.trans.__('Dataset %1 of project %2', model.name, model.project);
    this.title.icon = hubmlIcon;
    this.title.closable = true;
  }
}

/** A registered model in the main area. */
export class ModelViewer extends MainAreaWidget<PolledContent> {
  constructor(
    readonly model: ModelViewerModel,
    context: IHubMLContext,
    feed: ChangeFeed
  ) {
    super({
      content: new PolledContent(
        model,
        'models',
        context,
        () => <ModelViewerView model={model} />,
        feed
      )
    });
    this.id = viewerId('model', model.project, model.name);
    this.addClass('jp-hubml-model-viewer-widget');
    this.title.label = model.name;
    this.title.caption = context.trans.__('Model %1 of project %2', model.name, model.project);
    this.title.icon = hubmlIcon;
    this.title.closable = true;
  }
}

/** A training job in the main area: status, metrics and curves, the log. */
export class JobViewer extends MainAreaWidget<PolledContent> {
  constructor(
    readonly model: JobViewerModel,
    context: IHubMLContext,
    feed: ChangeFeed
  ) {
    super({
      content: new PolledContent(
        model,
        'jobs',
        context,
        () => <JobViewerView model={model} />,
        feed
      )
    });
    this.id = viewerId('job', model.project, model.id);
    this.addClass('jp-hubml-job-viewer-widget');
    this.title.label = context.trans.__('Job %1', model.id);
    model.changed.connect(() => {
      const job = model.job;
      if (job) {
        this.title.label = context.trans.__('%1 (job)', jobTitle(job));
      }
    });
    this.title.caption = context.trans.__('Training job %1 of project %2', model.id, model.project);
    this.title.icon = hubmlIcon;
    this.title.closable = true;
  }
}

/** A run that code logged, in the main area: params, metrics, curves. */
export class RunViewer extends MainAreaWidget<PolledContent> {
  constructor(
    readonly model: RunViewerModel,
    context: IHubMLContext,
    feed: ChangeFeed
  ) {
    super({
      content: new PolledContent(
        model,
        'models', // runs live in the MLflow store, whose changes the models part reports
        context,
        () => <RunViewerView model={model} />,
        feed
      )
    });
    this.id = viewerId('run', model.project, model.id);
    this.addClass('jp-hubml-run-viewer-widget');
    this.title.label = context.trans.__('Run %1', model.id.slice(0, 8));
    model.changed.connect(() => {
      const run = model.run;
      if (run?.name) {
        this.title.label = context.trans.__('%1 (run)', run.name);
      }
    });
    this.title.caption = context.trans.__('Run %1 of project %2', model.id, model.project);
    this.title.icon = hubmlIcon;
    this.title.closable = true;
  }
}
