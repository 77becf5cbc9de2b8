/**
 * Typed helpers for each resource of the hubml REST API. They all go through
 * `request.ts`, the one place that talks HTTP.
 */
import { downloadAPI, IUploadOptions, requestAPI, uploadAPI } from './request';
import {
  IProject,
  IDatasetVersion,
  IDatasetVersionDetail,
  IDatasetSummary,
  IPreview,
  IPreviewQuery,
  IUploadResult,
  IModelSummary,
  IModelVersionDetail,
  IModelDetail,
  IJob,
  IJobMetrics,
  ITemplate,
  IChanges,
  IScriptMade,
  IDashboardLink,
  IDashboardRequest,
  IDeployment,
  IDeploymentRequest,
  IRun,
  IRunMetricPoint,
  IShares
} from './types';

export * from './types';

const enc = encodeURIComponent;

function json(method: string, body?: unknown): RequestInit {
  return body === undefined
    ? { method }
    : {
        method,
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' }
      };
}

function query(params: { [key: string]: string | number }): string {
  const parts = Object.entries(params).map(([k, v]) => `${enc(k)}=${enc(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The hubml REST API, one function per call of the contract. */
export namespace api {
  export const projectPath = (project: string): string =>
    `projects/${enc(project)}`;

  export const listProjects = async (): Promise<IProject[]> =>
    (await requestAPI<{ projects: IProject[] }>('projects')).projects;

  export const getProject = (project: string): Promise<IProject> =>
    requestAPI<IProject>(projectPath(project));

  export const createProject = (
    name: string,
    description = ''
  ): Promise<IProject> =>
    requestAPI<IProject>('projects', json('POST', { name, description }));

  export const updateProject = (
    project: string,
    changes: { name?: string; description?: string; tags?: string[] }
  ): Promise<IProject> =>
    requestAPI<IProject>(projectPath(project), json('PATCH', changes));

  export const deleteProject = (
    project: string
  ): Promise<{ trashed_to: string }> =>
    requestAPI(projectPath(project), json('DELETE'));

  export const listDatasets = async (
    project: string
  ): Promise<IDatasetSummary[]> =>
    (
      await requestAPI<{ datasets: IDatasetSummary[] }>(
        `${projectPath(project)}/datasets`
      )
    ).datasets;

  export const getDataset = (
    project: string,
    name: string
  ): Promise<{ name: string; versions: IDatasetVersion[] }> =>
    requestAPI(`${projectPath(project)}/datasets/${enc(name)}`);

  export const getDatasetVersion = (
    project: string,
    name: string,
    version: number
  ): Promise<IDatasetVersionDetail> =>
    requestAPI(
      `${projectPath(project)}/datasets/${enc(name)}/versions/${version}`
    );

  export const previewDataset = (
    project: string,
    name: string,
    version: number,
    offset: number,
    limit: number,
    options: IPreviewQuery = {}
  ): Promise<IPreview> => {
    const params: { [key: string]: string | number } = { offset, limit };
    if (options.sort) {
      params.sort = options.sort;
      params.order = options.order ?? 'asc';
    }
    if (options.filter && options.filter.length > 0) {
      params.filter = JSON.stringify(options.filter);
    }
    return requestAPI(
      `${projectPath(project)}/datasets/${enc(name)}/versions/${version}/preview` +
        query(params)
    );
  };

  /** Upload a file (multipart); saves a dataset version unless `save` is false. */
  export const uploadDataset = (
    project: string,
    file: File,
    fields: {
      name?: string;
      save?: boolean;
      description?: string;
      /** Save a version whose columns differ from the latest's (else a 409). */
      confirmSchemaChange?: boolean;
    } = {},
    options: IUploadOptions = {}
  ): Promise<IUploadResult> => {
    const form = new FormData();
    form.append('file', file, file.name);
    if (fields.name) {
      form.append('name', fields.name);
    }
    if (fields.description) {
      form.append('description', fields.description);
    }
    form.append('save', fields.save === false ? 'false' : 'true');
    if (fields.confirmSchemaChange) {
      form.append('confirm_schema_change', 'true');
    }
    return uploadAPI(`${projectPath(project)}/datasets`, form, options);
  };

  export const listModels = async (project: string): Promise<IModelSummary[]> =>
    (
      await requestAPI<{ models: IModelSummary[] }>(
        `${projectPath(project)}/models`
      )
    ).models;

  export const getModel = (
    project: string,
    name: string
  ): Promise<IModelDetail> =>
    requestAPI(`${projectPath(project)}/models/${enc(name)}`);

  export const getModelVersion = (
    project: string,
    name: string,
    version: number
  ): Promise<IModelVersionDetail> =>
    requestAPI(`${projectPath(project)}/models/${enc(name)}/versions/${version}`);

  /** Download a model version in an export format; resolves to the saved file's name. */
  export const downloadExport = (
    project: string,
    name: string,
    version: number,
    format: string
  ): Promise<string> =>
    downloadAPI(
      `${projectPath(project)}/models/${enc(name)}/versions/${version}/export/${enc(format)}`,
      `${name}-v${version}-${format}`
    );

  export const setAlias = async (
    project: string,
    name: string,
    alias: string,
    version: number
  ): Promise<{ [alias: string]: number }> =>
    (
      await requestAPI<{ aliases: { [alias: string]: number } }>(
        `${projectPath(project)}/models/${enc(name)}/aliases/${enc(alias)}`,
        json('PUT', { version })
      )
    ).aliases;

  export const removeAlias = async (
    project: string,
    name: string,
    alias: string
  ): Promise<{ [alias: string]: number }> =>
    (
      await requestAPI<{ aliases: { [alias: string]: number } }>(
        `${projectPath(project)}/models/${enc(name)}/aliases/${enc(alias)}`,
        json('DELETE')
      )
    ).aliases;

  export const listJobs = async (project: string): Promise<IJob[]> =>
    (await requestAPI<{ jobs: IJob[] }>(`${projectPath(project)}/jobs`)).jobs;

  export const getJob = (project: string, id: string): Promise<IJob> =>
    requestAPI(`${projectPath(project)}/jobs/${enc(id)}`);

  export const jobMetrics = async (
    project: string,
    id: string
  ): Promise<IJobMetrics['metrics']> =>
    (
      await requestAPI<IJobMetrics>(
        `${projectPath(project)}/jobs/${enc(id)}/metrics`
      )
    ).metrics;

  export const cancelJob = (project: string, id: string): Promise<IJob> =>
    requestAPI(`${projectPath(project)}/jobs/${enc(id)}/cancel`, json('POST'));

  /**
   * Fingerprints of the project list and of `projects`; with `since` (the
   * last answer's token) the server waits up to `wait` seconds for a change.
   */
  export const changes = (
    projects: string[],
    since = '',
    wait = 0,
    signal?: AbortSignal
  ): Promise<IChanges> => {
    const params = new URLSearchParams(projects.map(p => ['project', p]));
    if (since) {
      params.set('since', since);
      params.set('wait', String(wait));
    }
    const search = params.toString();
    return requestAPI<IChanges>(`changes${search ? `?${search}` : ''}`, {
      signal
    });
  };

  export const listTemplates = async (): Promise<ITemplate[]> =>
    (await requestAPI<{ templates: ITemplate[] }>('templates')).templates;

  export const createScript = (
    project: string,
    template: string,
    name: string,
    data: { dataset?: string; target?: string; version?: number; unique?: boolean } = {}
  ): Promise<IScriptMade> =>
    requestAPI(
      `${projectPath(project)}/scripts`,
      json('POST', { template, name, ...data })
    );

  /** Make a Voila page ready to render (a model card, a dataset explorer, a notebook). */
  export const openDashboard = (
    project: string,
    body: IDashboardRequest
  ): Promise<IDashboardLink> =>
    requestAPI(`${projectPath(project)}/dashboards`, json('POST', body));

  /** The project's deployments (outside a hub: a 409 whose message says so). */
  export const listDeployments = async (project: string): Promise<IDeployment[]> => {
    const answer = await requestAPI<IDeployment[] | { deployments: IDeployment[] }>(
      `${projectPath(project)}/deployments`
    );
    return Array.isArray(answer) ? answer : (answer?.deployments ?? []);
  };

  export const createDeployment = (
    project: string,
    body: IDeploymentRequest
  ): Promise<IDeployment> =>
    requestAPI(`${projectPath(project)}/deployments`, json('POST', body));

  export const deleteDeployment = (project: string, name: string): Promise<unknown> =>
    requestAPI(`${projectPath(project)}/deployments/${enc(name)}`, json('DELETE'));

  export const shareDeployment = (
    project: string,
    name: string,
    shares: IShares
  ): Promise<unknown> =>
    requestAPI(
      `${projectPath(project)}/deployments/${enc(name)}/shares`,
      json('PUT', shares)
    );

  /** The project's MLflow runs, newest first (jobs' runs and the user's own code's). */
  export const listRuns = (
    project: string,
    limit = 200
  ): Promise<{ runs: IRun[]; total: number }> =>
    requestAPI(`${projectPath(project)}/runs${query({ limit })}`);

  export const runMetrics = (
    project: string,
    runId: string
  ): Promise<{ [name: string]: IRunMetricPoint[] }> =>
    requestAPI(`${projectPath(project)}/runs/${enc(runId)}/metrics`);
}
