/** Fakes of the browser for upload tests: XMLHttpRequest and document.cookie. */

/** Just enough of XMLHttpRequest for uploadAPI, driven by the test. */
export class FakeXHR {
  method = '';
  url = '';
  headers: { [name: string]: string } = {};
  body: unknown = null;
  status = 0;
  statusText = '';
  responseText = '';
  withCredentials = false;
  upload: { onprogress: ((e: Partial<ProgressEvent>) => void) | null } = {
    onprogress: null
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  /** The server's answer arrives. */
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

/** A document with cookies; its <a> elements parse URLs as the browser does. */
export function fakeDocument(cookie: string) {
  return {
    cookie,
    createElement: () => {
      const anchor: { [key: string]: unknown } = {};
      anchor.toString = () => String(anchor['_href']);
      return Object.defineProperty(anchor, 'href', {
        get: () => anchor['_href'],
        set: (value: string) => {
          const url = new URL(value);
          Object.assign(anchor, {
            _href: url.href,
            protocol: url.protocol,
            host: url.host,
            hostname: url.hostname,
            port: url.port,
            pathname: url.pathname,
            search: url.search,
            hash: url.hash
          });
        }
      });
    }
  };
}

