import { PageConfig } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { HubMLError, requestAPI } from '../request';

const BASE = 'http://localhost:8888/user/alice/';

function answer(status: number, body: unknown): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'application/json' }
  });
}

/** The error a promise rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<HubMLError> {
  try {
    await promise;
  } catch (error) {
    return error as HubMLError;
  }
  throw new Error('expected the request to fail');
}

describe('requestAPI', () => {
  let fetchMock: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    PageConfig.setOption('baseUrl', BASE);
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('GETs {base_url}hubml/api/<endpoint> and parses the JSON', async () => {
    fetchMock.mockResolvedValue(answer(200, { version: '0.1.0' }));
    const body = await requestAPI<{ version: string }>('status');
    expect(body).toEqual({ version: '0.1.0' });
    const request = fetchMock.mock.calls[0][0] as Request;
    expect(request.method).toBe('GET');
    expect(request.url.split('?')[0]).toBe(`${BASE}hubml/api/status`);
  });

  it("throws a HubMLError with the server's code and message", async () => {
    fetchMock.mockResolvedValue(
      answer(404, {
        error: {
          code: 'project_not_found',
          message: 'No project named "iris".',
          details: { name: 'iris' }
        }
      })
    );
    const error = await rejection(requestAPI('projects/iris'));
    expect(error).toBeInstanceOf(HubMLError);
    expect(error.message).toBe('No project named "iris".');
    expect(error.code).toBe('project_not_found');
    expect(error.status).toBe(404);
    expect(error.details).toEqual({ name: 'iris' });
  });

  it('falls back to the status line when the body is not JSON', async () => {
    fetchMock.mockResolvedValue(
      new Response('<html>Bad Gateway</html>', {
        status: 502,
        statusText: 'Bad Gateway'
      })
    );
    const error = await rejection(requestAPI('status'));
    expect(error).toBeInstanceOf(HubMLError);
    expect(error.message).toBe('Bad Gateway');
    expect(error.code).toBe('http_502');
    expect(error.message).not.toContain('<html>');
  });

  it('lets a network failure through as a NetworkError', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const error = await rejection(requestAPI('status'));
    expect(error).toBeInstanceOf(ServerConnection.NetworkError);
  });
});
