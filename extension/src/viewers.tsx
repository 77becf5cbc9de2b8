import { MainAreaWidget } from '@jupyterlab/apputils';
import * as React from 'react';

import { HubMLContext, IHubMLContext } from './components/common';
import { DatasetViewerView } from './components/dataset-viewer';
import { ModelViewerView } from './components/model-viewer';
import { hubmlIcon } from './icons';
import { DatasetViewerModel } from './models/dataset-viewer';
import { ModelViewerModel } from './models/model-viewer';
import { PollingWidget } from './polling';

/** A model that a viewer polls while it is visible. */
interface IPolled {
  refresh(): Promise<void>;
}

/** The content of a viewer: renders a view and polls its model while visible. */
class PolledContent extends PollingWidget {
  constructor(
    private readonly _model: IPolled,
    private readonly _context: IHubMLContext,
    private readonly _view: () => JSX.Element
  ) {
    super(2000);
    this.addClass('jp-hubml-viewer-content');
  }

  protected poll(): Promise<void> {
    return this._model.refresh();
  }

  protected render(): JSX.Element {
    return (
      <HubMLContext.Provider value={this._context}>
        {this._view()}
      </HubMLContext.Provider>
    );
  }

}

/** A stable widget id for a dataset or model of a project. */
export function viewerId(kind: 'dataset' | 'model', project: string, name: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return `hubml-${kind}-${safe(project)}-${safe(name)}`;
}

/** A dataset (one version at a time) in the main area. */
export class DatasetViewer extends MainAreaWidget<PolledContent> {
  constructor(readonly model: DatasetViewerModel, context: IHubMLContext) {
    super({
      content: new PolledContent(model, context, () => <DatasetViewerView model={model} />)
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
  constructor(readonly model: ModelViewerModel, context: IHubMLContext) {
    super({
      content: new PolledContent(model, context, () => <ModelViewerView model={model} />)
    });
    this.id = viewerId('model', model.project, model.name);
    this.addClass('jp-hubml-model-viewer-widget');
    this.title.label = model.name;
    this.title.caption = context.trans.__('Model %1 of project %2', model.name, model.project);
    this.title.icon = hubmlIcon;
    this.title.closable = true;
  }
}
