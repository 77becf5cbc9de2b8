/**
 * Paths: a project's folder is absolute on the server; JupyterLab opens files
 * by their path relative to the server's root folder.
 */

function clean(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}

/**
 * The JupyterLab (contents) path of a file of a project, or null when the
 * project lies outside the server's root folder (JupyterLab cannot open it).
 *
 * @param serverRoot the server's root folder (page config `serverRoot`)
 * @param projectPath the project's absolute folder
 * @param relative the file's path inside the project (or an absolute path)
 */
export function contentsPath(
  serverRoot: string,
  projectPath: string,
  relative: string
): string | null {
  const file = relative.startsWith('/')
    ? clean(relative)
    : clean(`${projectPath}/${relative}`);
  const root = clean(serverRoot);
  if (!serverRoot || serverRoot.startsWith('~')) {
    return null;
  }
  if (root === '') {
    return file; // the server's root is "/"
  }
  if (file === root) {
    return '';
  }
  return file.startsWith(`${root}/`) ? file.slice(root.length + 1) : null;
}

/** A name the server accepts: lower-case letters, digits, `-` and `_`. */
export function toSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 63);
}
