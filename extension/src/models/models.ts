import { ISignal, Signal } from '@lumino/signaling';

import { api, IModelSummary } from '../api';
import { CurrentProjectModel } from './current';
import { DeploymentsModel } from './deployments';
import { Resource } from './resource';

/** The Models panel's model: the registered models of the current project. */
export class ModelsModel {
  constructor(readonly current: CurrentProjectModel) {
    this.deployments = new DeploymentsModel(current);
    this._list.changed.connect(this._emit, this);
    current.changed.connect(this._onProject, this);
    this._onProject();
  }

  get changed(): ISignal<ModelsModel, void> {
    return this._changed;
  }

  get project(): string | null {
    return this._project;
  }

  /** Registered models, sorted by name, or null before the first answer. */
  get models(): IModelSummary[] | null {
    const data = this._list.data;
    return data
      ? [...data].sort((a, b) => a.name.localeCompare(b.name))
      : null;
  }

  get error(): string | null {
    return this._list.error;
  }

  get loading(): boolean {
    return this._list.loading;
  }

  /** The project's deployments (served models, published dashboards), shown below. */
  readonly deployments: DeploymentsModel;

  async refresh(): Promise<void> {
    await Promise.all([this._list.refresh(), this.deployments.refresh()]);
  }

  private _onProject(): void {
    const project = this.current.name;
    this._project = project;
    this._list.reset(project ? () => api.listModels(project) : null);
    this._emit();
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _project: string | null = null;
  private _list = new Resource<IModelSummary[]>(null);
  private _changed = new Signal<ModelsModel, void>(this);
}
