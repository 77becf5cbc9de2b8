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

/** Bytes sent so far of an upload, and its total size (0 when unknown). */
export interface IUploadProgress {
  loaded: number;
  total: number;
}

/** Options of {@link uploadAPI}. */
export interface IUploadOptions {
  /** Called whenever the browser reports upload progress. */
  onProgress?: (progress: IUploadProgress) => void;
  /** Aborts the upload; the promise then rejects with a HubMLError "aborted". */
  signal?: AbortSignal;
  /** Creates the request; tests pass a fake. */
  makeXHR?: () => XMLHttpRequest;
}

/** The value of a cookie of this page, or undefined (the last one wins, as for tornado). */
function getCookie(name: string): string | undefined {
  let value: string | undefined;
  let cookie = '';
  try {
    cookie = typeof document === 'undefined' ? '' : document.cookie;
  } catch {
    return undefined; // e.g. a sandboxed frame
  }
  for (const part of cookie.split(';')) {
    const trimmed = part.trim();
    if (trimmed.startsWith(`${name}=`)) {
      value = trimmed.substring(name.length + 1);
    }
  }
  return value;
}

/**
 * POST a file to the hubml REST API with upload progress.
 *
 * fetch cannot report upload progress over HTTP/1.1, so this one request uses
 * XMLHttpRequest, with the same authentication as `ServerConnection`: the
 * token header when the page has a token, and the `_xsrf` cookie as `X-XSRFToken`.
 *
 * @param endPoint API path below `{base_url}hubml/api/` (query string allowed)
 * @param body a FormData (multipart) or a Blob/File (raw body)
 */
export function uploadAPI<T>(
  endPoint: string,
  body: FormData | Blob,
  options: IUploadOptions = {}
): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);
  const xhr = options.makeXHR ? options.makeXHR() : new XMLHttpRequest();
  return new Promise<T>((resolve, reject) => {
    xhr.open('POST', url, true);
    xhr.withCredentials = true;
    if (settings.token) {
      xhr.setRequestHeader('Authorization', `token ${settings.token}`);
    }
    const xsrf = getCookie('_xsrf');
    if (xsrf !== undefined) {
      xhr.setRequestHeader('X-XSRFToken', xsrf);
    }
    if (!(body instanceof FormData)) {
      xhr.setRequestHeader(
        'Content-Type',
        body.type || 'application/octet-stream'
      );
    }
    xhr.upload.onprogress = (event: ProgressEvent) => {
      options.onProgress?.({
        loaded: event.loaded,
        total: event.lengthComputable ? event.total : 0
      });
    };
    xhr.onload = () => {
      const response = new Response(xhr.responseText || null, {
        status: xhr.status,
        statusText: xhr.statusText
      });
      if (!response.ok) {
        void toHubMLError(response).then(reject);
        return;
      }
      try {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : null) as T);
      } catch {
        reject(
          new HubMLError(
            'The server answered with data that is not JSON.',
            'bad_response',
            xhr.status
          )
        );
      }
    };
    xhr.onerror = () =>
      reject(
        new ServerConnection.NetworkError(new TypeError('The upload failed.'))
      );
    xhr.onabort = () =>
      reject(new HubMLError('The upload was cancelled.', 'aborted', 0));
    if (options.signal) {
      if (options.signal.aborted) {
        xhr.abort();
        return;
      }
      options.signal.addEventListener('abort', () => xhr.abort());
    }
    xhr.send(body);
  });
}

/** The file name in a Content-Disposition header (`attachment; filename="x.zip"`). */
export function filenameOf(disposition: string | null): string | null {
  if (!disposition) {
    return null;
  }
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // a malformed encoding: fall back to the plain filename
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return name || null;
}

/**
 * GET a file from the hubml REST API with the server's authentication and save it
 * in the browser (a download named by the server's Content-Disposition).
 *
 * @param endPoint API path below `{base_url}hubml/api/`
 * @param fallbackName the file name when the server gives none
 * @returns the name the file was saved as
 */
export async function downloadAPI(
  endPoint: string,
  fallbackName: string
): Promise<string> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);
  const response = await ServerConnection.makeRequest(
    url,
    { method: 'GET' },
    settings
  );
  if (!response.ok) {
    throw await toHubMLError(response);
  }
  const blob = await response.blob();
  const name =
    filenameOf(response.headers.get('Content-Disposition')) ?? fallbackName;
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // the browser has taken the blob once the click's task ends
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}
