import { PageConfig } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { api } from '../api';
import { HubMLError, uploadAPI } from '../request';
import { BASE } from './server';
import { fakeDocument, FakeXHR } from './xhr';

describe('uploadAPI', () => {
  let xhr: FakeXHR;
  const makeXHR = () => xhr as unknown as XMLHttpRequest;

  beforeEach(() => {
    PageConfig.setOption('baseUrl', BASE);
    PageConfig.setOption('token', 'secret-token');
    xhr = new FakeXHR();
    vi.stubGlobal('document', fakeDocument('_xsrf=old; other=1; _xsrf=2|abc'));
  });

  afterEach(() => {
    PageConfig.setOption('token', '');
    vi.unstubAllGlobals();
  });

  it('POSTs multipart with the token and XSRF headers and reports progress', async () => {
    const seen: number[] = [];
    const file = new File(['a,b\n1,2\n'], 'small.csv', { type: 'text/csv' });
    const done = api.uploadDataset('churn', file, { name: 'small' }, {
      makeXHR,
      onProgress: p => seen.push(p.loaded / p.total)
    });
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe(`${BASE}hubml/api/projects/churn/datasets`);
    expect(xhr.headers['Authorization']).toBe('token secret-token');
    expect(xhr.headers['X-XSRFToken']).toBe('2|abc'); // the last cookie, as tornado reads it
    expect(xhr.headers['Content-Type']).toBeUndefined(); // the browser adds the boundary
    const form = xhr.body as FormData;
    expect((form.get('file') as File).name).toBe('small.csv');
    expect(form.get('name')).toBe('small');
    expect(form.get('save')).toBe('true');
    xhr.upload.onprogress?.({ loaded: 4, total: 8, lengthComputable: true });
    xhr.upload.onprogress?.({ loaded: 8, total: 8, lengthComputable: true });
    xhr.answer(201, { raw: 'data/small.csv', dataset: null, preview: null });
    expect((await done).raw).toBe('data/small.csv');
    expect(seen).toEqual([0.5, 1]);
  });

  it('sends a raw Blob with its type', async () => {
    const done = uploadAPI('projects/p/datasets?filename=a.csv', new Blob(['x'], { type: 'text/csv' }), { makeXHR });
    expect(xhr.headers['Content-Type']).toBe('text/csv');
    xhr.answer(201, {});
    await done;
  });

  it("rejects with the server's message, e.g. 413 past the size limit", async () => {
    const done = uploadAPI('projects/p/datasets', new Blob(['x']), { makeXHR });
    xhr.answer(413, {
      error: { code: 'too_large', message: 'the upload is larger than 512 MiB', details: {} }
    });
    const error = (await done.catch(e => e)) as HubMLError;
    expect(error).toBeInstanceOf(HubMLError);
    expect(error.status).toBe(413);
    expect(error.message).toBe('the upload is larger than 512 MiB');
  });

  it('rejects with a NetworkError when the connection fails', async () => {
    const done = uploadAPI('projects/p/datasets', new Blob(['x']), { makeXHR });
    xhr.onerror?.();
    expect(await done.catch(e => e)).toBeInstanceOf(ServerConnection.NetworkError);
  });

  it('can be aborted', async () => {
    const controller = new AbortController();
    const done = uploadAPI('projects/p/datasets', new Blob(['x']), {
      makeXHR,
      signal: controller.signal
    });
    controller.abort();
    const error = (await done.catch(e => e)) as HubMLError;
    expect(error.code).toBe('aborted');
  });
});
