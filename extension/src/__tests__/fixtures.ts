import {
  IDatasetVersion,
  IJob,
  IModelVersion,
  IPreview,
  IProject
} from '../api';

export function project(name: string, extra: Partial<IProject> = {}): IProject {
  return {
    name,
    description: '',
    created: '2026-01-02T03:04:05+00:00',
    owner: 'alice',
    tags: [],
    path: `/home/alice/projects/${name}`,
    ...extra
  };
}

export function datasetVersion(
  name: string,
  version: number,
  rows = 1000
): IDatasetVersion {
  return {
    name,
    version,
    description: '',
    store: 'file',
    rows,
    columns: [
      { name: 'age', dtype: 'int64' },
      { name: 'city', dtype: 'object' }
    ],
    source: { type: 'upload', file: 'data/customers.csv' },
    recipe: null,
    parents: [],
    author: 'alice',
    created: '2026-01-02T03:04:05.000+00:00'
  };
}

export function modelVersion(name: string, version: number): IModelVersion {
  return {
    name,
    version,
    framework: 'sklearn',
    algorithm: 'sklearn.random_forest',
    task: 'binary',
    run_id: `run-${version}`,
    created: 1767323045000,
    aliases: [],
    description: '',
    lineage: {
      run_id: `run-${version}`,
      datasets: [{ dataset: 'customers', version: 1 }],
      recipe: null
    }
  };
}

export function job(id: string, state: IJob['state'], created: string): IJob {
  return {
    id,
    state,
    created,
    started: null,
    finished: null,
    error: null,
    model: null,
    spec: { dataset: 'customers', algorithm: 'sklearn.random_forest' }
  };
}

/** A preview page of a dataset whose row i holds [i, "city-i"]. */
export function page(offset: number, limit: number, total: number): IPreview {
  const rows: unknown[][] = [];
  for (let i = offset; i < Math.min(offset + limit, total); i++) {
    rows.push([i, `city-${i}`]);
  }
  return {
    columns: ['age', 'city'],
    dtypes: ['int64', 'object'],
    rows,
    offset,
    limit,
    total
  };
}
