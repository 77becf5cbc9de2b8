import { ISignal, Signal } from '@lumino/signaling';

import { api, IJob, IJobMetrics, JobState } from '../api';
import { CurrentProjectModel } from './current';
import { RunsModel } from './runs';
import { Resource } from './resource';

/** States after which a job never changes again. */
export const FINAL_STATES: ReadonlySet<JobState> = new Set([
  'succeeded',
  'failed',
  'cancelled'
]);

/** What a job is about, for its row: the model it registers or its algorithm. */
export function jobTitle(job: IJob): string {
  const spec = job.spec ?? {};
  const model = job.model?.name ?? job.model_name ?? spec['model_name'];
  if (typeof model === 'string' && model) {
    return model;
  }
  const dataset = spec['dataset'];
  const algorithm = spec['algorithm'];
  if (typeof dataset === 'string' && typeof algorithm === 'string') {
    return `${dataset} · ${algorithm}`;
  }
  return job.id;
}

/** When a job was made, as a number for sorting (unknown: 0). */
function createdAt(job: IJob): number {
  const time = job.created ? Date.parse(job.created) : NaN;
  return Number.isNaN(time) ? 0 : time;
}

/**
 * The Jobs panel's model: the training jobs of the current project; for the
 * job the person opened, its detail (log) and metric curves.
 */
export class JobsModel {
  constructor(readonly current: CurrentProjectModel) {
    this.runs = new RunsModel(current);
    this._list.changed.connect(this._emit, this);
    this._detail.changed.connect(this._emit, this);
    this._metrics.changed.connect(this._emit, this);
    current.changed.connect(this._onProject, this);
    this._onProject();
  }

  get changed(): ISignal<JobsModel, void> {
    return this._changed;
  }

  get project(): string | null {
    return this._project;
  }

  /** Jobs, newest first, or null before the first answer. */
  get jobs(): IJob[] | null {
    const data = this._list.data;
    return data ? [...data].sort((a, b) => createdAt(b) - createdAt(a)) : null;
  }

  get error(): string | null {
    return this._list.error;
  }

  get loading(): boolean {
    return this._list.loading;
  }

  /** The id of the job shown in detail, or null. */
  get selected(): string | null {
    return this._selected;
  }

  /** The selected job as `GET jobs/{id}` answers it (with its log when given). */
  get detail(): IJob | null {
    return this._detail.data;
  }

  /** Metric curves of the selected job, or null while loading. */
  get metrics(): IJobMetrics['metrics'] | null {
    return this._metrics.data;
  }

  /** Show a job in detail, or close it (same id again, or null). */
  select(id: string | null): void {
    const project = this._project;
    this._selected = id === this._selected ? null : id;
    const selected = this._selected;
    if (selected && project) {
      this._detail.reset(() => api.getJob(project, selected));
      this._metrics.reset(() => api.jobMetrics(project, selected));
      void this._detail.refresh();
      void this._metrics.refresh();
    } else {
      this._detail.reset(null);
      this._metrics.reset(null);
    }
    this._emit();
  }

  /**
   * Fetch the list again, and the selected job's detail and metrics while it
   * may still change.
   */
  /** The runs the user's own code logged in the project, listed beside the jobs. */
  readonly runs: RunsModel;

  async refresh(): Promise<void> {
    await Promise.all([this._list.refresh(), this.runs.refresh()]);
    const job = this._list.data?.find(j => j.id === this._selected);
    const settled =
      job !== undefined &&
      FINAL_STATES.has(job.state) &&
      this._detail.data?.state === job.state &&
      this._metrics.data !== null;
    if (this._selected && !settled) {
      await Promise.all([this._detail.refresh(), this._metrics.refresh()]);
    }
  }

  /** Ask the server to cancel a job; the list shows the new state. */
  async cancel(id: string): Promise<IJob> {
    const project = this._project;
    if (!project) {
      throw new Error('No project is chosen.');
    }
    const job = await api.cancelJob(project, id);
    await this.refresh();
    return job;
  }

  private _onProject(): void {
    const project = this.current.name;
    this._project = project;
    this._selected = null;
    this._detail.reset(null);
    this._metrics.reset(null);
    this._list.reset(project ? () => api.listJobs(project) : null);
    this._emit();
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _project: string | null = null;
  private _selected: string | null = null;
  private _list = new Resource<IJob[]>(null);
  private _detail = new Resource<IJob>(null);
  private _metrics = new Resource<IJobMetrics['metrics']>(null);
  private _changed = new Signal<JobsModel, void>(this);
}
