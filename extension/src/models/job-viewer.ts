import { ISignal, Signal } from '@lumino/signaling';

import { api, IJob, IJobMetrics } from '../api';
import { FINAL_STATES } from './jobs';
import { Resource } from './resource';

/**
 * One training job opened in the main area: its status (with the log the
 * server gives) and its metric curves, fetched again while the job may still
 * change; once it has settled, a refresh fetches nothing more.
 */
export class JobViewerModel {
  constructor(
    readonly project: string,
    readonly id: string
  ) {
    this._job = new Resource(() => api.getJob(project, id));
    this._metrics = new Resource(() => api.jobMetrics(project, id));
    this._job.changed.connect(this._emit, this);
    this._metrics.changed.connect(this._emit, this);
  }

  get changed(): ISignal<JobViewerModel, void> {
    return this._changed;
  }

  /** The job as `GET jobs/{id}` answers it, or null before the first answer. */
  get job(): IJob | null {
    return this._job.data;
  }

  /** Metric curves by name, or null while loading. */
  get metrics(): IJobMetrics['metrics'] | null {
    return this._metrics.data;
  }

  get error(): string | null {
    return this._job.error ?? this._metrics.error;
  }

  /** Whether the job has ended and both its status and curves were read after that. */
  get settled(): boolean {
    const job = this._job.data;
    return (
      job !== null &&
      FINAL_STATES.has(job.state) &&
      this._settledReads >= 1 &&
      this._metrics.data !== null
    );
  }

  async refresh(): Promise<void> {
    if (this.settled && this.error === null) {
      return;
    }
    const wasFinal = this._job.data !== null && FINAL_STATES.has(this._job.data.state);
    await Promise.all([this._job.refresh(), this._metrics.refresh()]);
    if (wasFinal) {
      this._settledReads += 1; // one read after the end: the last metrics and log lines
    }
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _settledReads = 0;
  private _job: Resource<IJob>;
  private _metrics: Resource<IJobMetrics['metrics']>;
  private _changed = new Signal<JobViewerModel, void>(this);
}
