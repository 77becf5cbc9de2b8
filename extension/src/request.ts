import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/**
 * The URL namespace of the hubml REST API, relative to the server's base URL.
 */
export const API_NAMESPACE = 'hubml/api';

/**
 * An error answered by the hubml REST API.
 *
 * The server answers every failure with `{"error": {"code", "message", "details"}}`;
 * `message` is the server's message, safe to show to the user as it is.
 */
export class HubMLError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly details: unknown = null
  ) {
    super(message);
    this.name = 'HubMLError';
  }
}

/**
 * Turn a non-OK response into a HubMLError, whatever its body holds.
 */
export async function toHubMLError(response: Response): Promise<HubMLError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // The body could not be read: fall back to the status line below.
  }
  let code = `http_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  let details: unknown = null;
  try {
    const body = JSON.parse(text);
    const error = body?.error;
    if (error && typeof error === 'object') {
      if (typeof error.code === 'string') {
        code = error.code;
      }
      if (typeof error.message === 'string' && error.message) {
        message = error.message;
      }
      details = error.details ?? null;
    } else if (typeof body?.message === 'string' && body.message) {
      // jupyter_server's own error pages (e.g. 403, 404 outside our handlers).
      message = body.message;
    }
  } catch {
    // Not JSON (a proxy error page, say): keep the status line.
  }
  return new HubMLError(message, code, response.status, details);
}

/**
 * Call the hubml REST API. This is the only place that does.
 *
 * @param endPoint API path below `{base_url}hubml/api/`
 * @param init initial values for the request
 * @returns the parsed JSON body (or `null` for an empty body)
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {}
): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const requestUrl = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);

  // makeRequest already turns a failed fetch into ServerConnection.NetworkError.
  const response = await ServerConnection.makeRequest(
    requestUrl,
    init,
    settings
  );

  if (!response.ok) {
    throw await toHubMLError(response);
  }

  const text = await response.text();
  if (!text) {
    return null as T;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new HubMLError(
      'The server answered with data that is not JSON.',
      'bad_response',
      response.status
    );
  }
}
