import { ISignal, Signal } from '@lumino/signaling';

import { api, IRun, IRunMetricPoint } from '../api';
import { Resource } from './resource';

/**
 * One MLflow run opened in the main area: its params, latest metrics and metric curves.
 * A run that is still going is fetched again on each refresh.
 */
export class RunViewerModel {
  constructor(
    readonly project: string,
    readonly id: string
  ) {
    this._runs = new Resource(() => api.listRuns(project, 1000));
    this._metrics = new Resource(() => api.runMetrics(project, id));
    this._runs.changed.connect(this._emit, this);
    this._metrics.changed.connect(this._emit, this);
  }

  get changed(): ISignal<RunViewerModel, void> {
    return this._changed;
  }

  /** The run, or null before the first answer (or if it is not in the project). */
  get run(): IRun | null {
    return this._runs.data?.runs.find(r => r.id === this.id) ?? null;
  }

  /** Whether the listing came back without this run. */
  get missing(): boolean {
    return this._runs.data !== null && this.run === null;
  }

  get metrics(): { [name: string]: IRunMetricPoint[] } | null {
    return this._metrics.data;
  }

  get error(): string | null {
    return this._runs.error ?? this._metrics.error;
  }

  /** Fetch the run and its curves (again while the run is going). */
  async refresh(): Promise<void> {
    const going = this.run === null || this.run.status === 'RUNNING';
    if (going || this._runs.error || this._metrics.error || this._metrics.data === null) {
      await Promise.all([this._runs.refresh(), this._metrics.refresh()]);
    }
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _runs: Resource<{ runs: IRun[]; total: number }>;
  private _metrics: Resource<{ [name: string]: IRunMetricPoint[] }>;
  private _changed = new Signal<RunViewerModel, void>(this);
}
