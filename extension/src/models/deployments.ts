import { ISignal, Signal } from '@lumino/signaling';

import { api, IDeployment, IDeploymentRequest, IShares } from '../api';
import { HubMLError } from '../request';
import { CurrentProjectModel } from './current';
import { Resource } from './resource';

/** How often the list is fetched again while a deployment is starting (ms). */
export const STARTING_POLL_MS = 3000;

/**
 * The deployments of the current project (served models, published dashboards), shown in
 * the Models panel. Outside a hub the server answers 409 with its reason: that is kept in
 * `unavailable` (said plainly, not as a failure) and the list is empty.
 */
export class DeploymentsModel {
  constructor(readonly current: CurrentProjectModel) {
    this._list.changed.connect(this._onList, this);
    current.changed.connect(this._onProject, this);
    this._onProject();
  }

  get changed(): ISignal<DeploymentsModel, void> {
    return this._changed;
  }

  get project(): string | null {
    return this._project;
  }

  /** Deployments sorted by name, or null before the first answer. */
  get deployments(): IDeployment[] | null {
    const data = this._list.data;
    return data ? [...data].sort((a, b) => a.name.localeCompare(b.name)) : null;
  }

  /** Why there can be no deployments here (no hub), in the server's words; or null. */
  get unavailable(): string | null {
    return this._unavailable;
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

  /** Start a deployment (serve a model, publish a dashboard); the list then shows it. */
  async deploy(body: IDeploymentRequest): Promise<IDeployment> {
    const project = this._need();
    const made = await api.createDeployment(project, body);
    await this.refresh();
    return made;
  }

  async stop(name: string): Promise<void> {
    await api.deleteDeployment(this._need(), name);
    await this.refresh();
  }

  async share(name: string, shares: IShares): Promise<void> {
    await api.shareDeployment(this._need(), name, shares);
    await this.refresh();
  }

  dispose(): void {
    this._stopTimer();
  }

  private _need(): string {
    if (!this._project) {
      throw new HubMLError('Choose a project first.', 'no_project', 0);
    }
    return this._project;
  }

  private _onProject(): void {
    const project = this.current.name;
    this._project = project;
    this._unavailable = null;
    this._list.reset(
      project
        ? async () => {
            try {
              const list = await api.listDeployments(project);
              this._unavailable = null;
              return list;
            } catch (error) {
              if (error instanceof HubMLError && error.status === 409) {
                this._unavailable = error.message;
                return [];
              }
              throw error;
            }
          }
        : null
    );
    this._changed.emit();
  }

  private _onList(): void {
    const starting = (this._list.data ?? []).some(d => d.status === 'starting');
    if (starting && this._timer === null) {
      this._timer = setInterval(() => void this.refresh(), STARTING_POLL_MS);
    } else if (!starting) {
      this._stopTimer();
    }
    this._changed.emit();
  }

  private _stopTimer(): void {
    if (this._timer !== null) {
      clearInterval(this._timer);
      this._timer = null;
    }
  }

  private _project: string | null = null;
  private _unavailable: string | null = null;
  private _timer: ReturnType<typeof setInterval> | null = null;
  private _list = new Resource<IDeployment[]>(null);
  private _changed = new Signal<DeploymentsModel, void>(this);
}
