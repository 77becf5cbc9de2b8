/**
 * The JSON shapes of the hubml REST API (see the contract in DESIGN.md).
 */

/** A project (`Project.to_json()`). */
export interface IProject {
  name: string;
  description: string;
  created: string | null;
  owner: string | null;
  tags: string[];
  path: string;
  /** Counts, only in `GET projects/{project}`. */
  datasets?: number;
  models?: number;
}

/** One column of a dataset version's schema. */
export interface IColumn {
  name: string;
  dtype: string;
  categories?: unknown[];
  ordered?: boolean;
}

/** A recipe step: `{"step": type, ...params}`. */
export interface IRecipeStep {
  step: string;
  [param: string]: unknown;
}

/** A reference to a dataset version (lineage). */
export interface IDatasetRef {
  dataset: string;
  version: number;
}

/** A dataset version (`DatasetVersion.to_json()`). */
export interface IDatasetVersion {
  name: string;
  version: number;
  description: string;
  store: string;
  rows: number;
  columns: IColumn[];
  source: { type: string; [key: string]: unknown } | null;
  recipe: IRecipeStep[] | null;
  parents: IDatasetRef[];
  author?: string;
  created: string;
  sha256?: string;
}

/** Summary statistics of one column. */
export interface IColumnStatistics {
  missing: number;
  distinct?: number;
  min?: number | string | boolean | null;
  max?: number | string | boolean | null;
  mean?: number | null;
  std?: number | null;
}

/** `GET .../datasets/{name}/versions/{version}`. */
export interface IDatasetVersionDetail extends IDatasetVersion {
  statistics: { [column: string]: IColumnStatistics };
  lineage: {
    source: IDatasetVersion['source'];
    recipe: IRecipeStep[] | null;
    parents: IDatasetRef[];
  };
}

/** An entry of `GET projects/{project}/datasets`. */
export interface IDatasetSummary {
  name: string;
  versions: number;
  latest: IDatasetVersion;
}

/** `GET .../preview?offset=&limit=`. */
export interface IPreview {
  columns: string[];
  dtypes: string[];
  rows: unknown[][];
  offset: number;
  limit: number;
  /** Rows in all, or the rows that match the filter. */
  total: number;
  /** Sorted or filtered: each row's position in the stored order (from 0). */
  positions?: number[];
}

/** The operators of a preview filter condition. */
export type FilterOp =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'contains'
  | 'isnull'
  | 'notnull';

/** One condition of a preview filter; isnull and notnull take no value. */
export interface IFilterCondition {
  column: string;
  op: FilterOp;
  value?: string | number | boolean;
}

/** How a preview is sorted and filtered (on the server). */
export interface IPreviewQuery {
  sort?: string | null;
  order?: 'asc' | 'desc';
  filter?: IFilterCondition[];
}

/** `POST projects/{project}/datasets` (an upload). */
export interface IUploadResult {
  /** The file as received under data/; when unchanged, the latest version's (or null). */
  raw: string | null;
  dataset: IDatasetVersion | null;
  preview: IPreview;
  /** True (status 200) when the latest version holds this data already: nothing saved. */
  unchanged?: boolean;
  /** The server's words, when unchanged. */
  message?: string;
  /** What the import did on its own (e.g. dropped R's row-number column). */
  notes?: string[];
}

/** A column of a dataset schema. */
export interface IColumnType {
  name: string;
  dtype: string;
}

/** `error.details` of a 409 `schema_changed` upload: how the columns differ. */
export interface ISchemaChanges {
  dataset: string;
  version: number;
  added: IColumnType[];
  removed: IColumnType[];
  changed: { name: string; old: string; new: string }[];
  counts?: { added: number; removed: number; changed: number };
}

/** An entry of `GET projects/{project}/models`. */
export interface IModelSummary {
  name: string;
  latest_version: number;
  framework: string;
  task: string | null;
  aliases: { [alias: string]: number };
}

/** A model version (`ModelVersion.to_json()`). */
export interface IModelVersion {
  name: string;
  version: number;
  framework: string;
  algorithm: string | null;
  task: string | null;
  run_id: string | null;
  created: number | string | null;
  aliases: string[];
  description: string;
  lineage: {
    run_id: string | null;
    datasets: IDatasetRef[];
    recipe: IRecipeStep[] | null;
  };
}

/** `GET .../models/{name}/versions/{v}`. */
export interface IModelVersionDetail extends IModelVersion {
  metrics: { [name: string]: unknown };
  params: { [name: string]: unknown };
  formats: unknown[];
}

/** `GET projects/{project}/models/{name}`. */
export interface IModelDetail {
  name: string;
  aliases: { [alias: string]: number };
  versions: IModelVersion[];
}

/** The states of a training job. */
export type JobState =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/** A training job (`Job.to_json()`); fields past `state` may be missing. */
export interface IJob {
  id: string;
  state: JobState;
  created?: string | null;
  started?: string | null;
  finished?: string | null;
  error?: string | null;
  model?: { name: string; version: number } | null;
  model_name?: string | null;
  model_version?: number | null;
  spec?: { [key: string]: unknown };
  /** The final evaluation (scalars), when the job succeeded. */
  metrics?: { [name: string]: unknown } | null;
  evaluated_on?: string | null;
  run_id?: string | null;
  /** A queued job's place in the user's queue (all projects): 1 starts next. */
  queue_position?: number | null;
  log?: string;
  [key: string]: unknown;
}

/** One point of a metric curve. */
export interface IMetricPoint {
  step: number;
  value: number;
}

/** `GET .../jobs/{id}/metrics`. */
export interface IJobMetrics {
  metrics: { [name: string]: IMetricPoint[] };
}

/** An entry of `GET templates`. */
export interface ITemplate {
  id: string;
  label: string;
  kind: 'notebook' | 'script';
  description: string;
}

/** Fingerprints of one project's listings (GET changes). */
export interface IProjectChanges {
  datasets: string;
  models: string;
  jobs: string;
}

/** GET changes: fingerprints of the project list and of the projects asked for. */
export interface IChanges {
  token: string;
  projects: string;
  /** Per project asked for; null when there is no such project. */
  project: { [name: string]: IProjectChanges | null };
}

/** `POST projects/{project}/scripts`: the new file and what it was filled in with. */
export interface IScriptMade {
  path: string;
  dataset: string;
  /** The dataset version it was made for. */
  version?: number;
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  /** The model a training template registers; null for a widget notebook. */
  model: string | null;
}

/** `POST projects/{project}/dashboards`: which Voila page to make ready. */
export type IDashboardRequest =
  | { kind: 'model_card'; model: string; version?: number; alias?: string }
  | { kind: 'dataset_explorer'; dataset: string; version?: number }
  | { kind: 'run_compare'; runs?: string }
  | { kind: 'notebook'; path: string };

/** The answer of `POST projects/{project}/dashboards`: where the page renders. */
export interface IDashboardLink {
  url: string;
  path: string;
  kind?: string;
}

/** Who a deployment is shared with (JupyterHub users and groups). */
export interface IShares {
  users: string[];
  groups: string[];
}

/** A deployment: a served model or a published dashboard (a named server of its owner). */
export interface IDeployment {
  name: string;
  kind: 'model' | 'dashboard';
  url: string;
  status: string;
  project?: string;
  model?: { name: string; alias?: string | null; version?: number | null } | null;
  path?: string;
  query?: { [key: string]: string };
  shared_with: IShares;
}

/** `POST projects/{project}/deployments`. */
export type IDeploymentRequest =
  | { kind: 'model'; model: string; alias?: string; version?: number }
  | { kind: 'dashboard'; path: string; query?: { [key: string]: string } };

/** An MLflow run of the project (`GET projects/{project}/runs`). */
export interface IRun {
  id: string;
  name: string | null;
  experiment: string;
  status: string;
  start_time: string | null;
  end_time: string | null;
  params: { [name: string]: string };
  metrics: { [name: string]: number };
  /** "job": a training job's run (shown as the job); "code": the user's own script. */
  source: 'job' | 'code';
  job_id: string | null;
  parent_id: string | null;
}

/** One point of a run's metric history. */
export interface IRunMetricPoint {
  step: number;
  value: number;
  timestamp?: string | null;
}
