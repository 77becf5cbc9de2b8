/**
 * A fake hubml server for the unit tests: a `fetch` stub that routes
 * `METHOD path` (below `{base_url}hubml/api/`) to handlers. Only fetch is
 * mocked; everything above it (request.ts, api.ts, the models) is real.
 */
import { PageConfig } from '@jupyterlab/coreutils';
import { vi } from 'vitest';

export const BASE = 'http://localhost:8888/user/alice/';
const API = `${BASE}hubml/api/`;

export interface IRequestSeen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Headers;
}

export type Handler = (
  request: IRequestSeen
) => unknown | [number, unknown] | Promise<unknown | [number, unknown]>;

/** `[status, body]` for a handler that answers something else than 200. */
export function status(code: number, body: unknown): [number, unknown] {
  return [code, body];
}

/** The error JSON of the contract. */
export function apiError(code: string, message: string) {
  return { error: { code, message, details: {} } };
}

export class FakeServer {
  readonly requests: IRequestSeen[] = [];
  readonly fetch = vi.fn(async (input: RequestInfo) => this._answer(input as Request));

  constructor(private readonly routes: { [route: string]: Handler } = {}) {
    PageConfig.setOption('baseUrl', BASE);
    vi.stubGlobal('fetch', this.fetch);
  }

  /** Add or replace a route, e.g. `on('GET projects', () => ...)`. */
  on(route: string, handler: Handler): this {
    this.routes[route] = handler;
    return this;
  }

  /** How many requests went to `METHOD path`. */
  count(route: string): number {
    return this.requests.filter(r => `${r.method} ${r.path}` === route).length;
  }

  private async _answer(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = decodeURI(url.href.split('?')[0].slice(API.length));
    const text = await request.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const seen: IRequestSeen = {
      method: request.method,
      path,
      query: url.searchParams,
      body,
      headers: request.headers
    };
    this.requests.push(seen);
    const handler = this.routes[`${request.method} ${path}`];
    if (!handler) {
      return json(404, apiError('not_found', `no route ${request.method} ${path}`));
    }
    const result = await handler(seen);
    const [code, payload] =
      Array.isArray(result) && result.length === 2 && typeof result[0] === 'number'
        ? (result as [number, unknown])
        : [200, result];
    return json(code, payload);
  }
}

function json(code: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status: code,
    headers: { 'Content-Type': 'application/json' }
  });
}

/** Let pending promise callbacks run. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}
