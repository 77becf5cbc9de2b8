import { ISignal, Signal } from '@lumino/signaling';

import { api, IRun } from '../api';
import { CurrentProjectModel } from './current';
import { Resource } from './resource';

/**
 * The runs that the user's own code logged in the current project (`with p.start_run()`),
 * for the Jobs panel: runs of training jobs already show there as their jobs.
 */
export class RunsModel {
  constructor(readonly current: CurrentProjectModel) {
    this._list.changed.connect(() => this._changed.emit());
    current.changed.connect(this._onProject, this);
    this._onProject();
  }

  get changed(): ISignal<RunsModel, void> {
    return this._changed;
  }

  get project(): string | null {
    return this._project;
  }

  /** Runs of the user's code, newest first, or null before the first answer. */
  get runs(): IRun[] | null {
    const data = this._list.data;
    return data ? data.runs.filter(r => r.source === 'code') : null;
  }

  get error(): string | null {
    return this._list.error;
  }

  get loading(): boolean {
    return this._list.loading;
  }

  refresh(): Promise<void> {
    return this._list.refresh();
  }

  private _onProject(): void {
    const project = this.current.name;
    this._project = project;
    this._list.reset(project ? () => api.listRuns(project) : null);
    this._changed.emit();
  }

  private _project: string | null = null;
  private _list = new Resource<{ runs: IRun[]; total: number }>(null);
  private _changed = new Signal<RunsModel, void>(this);
}
