/**
 * Which kernel a notebook hubml creates runs in: the kernel of the server's profile. Pure
 * (no JupyterLab), so it is unit-tested.
 */

/** What this needs of a kernel spec (`GET api/kernelspecs`). */
export interface IKernelSpecLike {
  name: string;
  metadata?: { [key: string]: unknown };
}

function frameworksOf(spec: IKernelSpecLike): string[] | null {
  const hubml = spec.metadata?.['hubml'] as { frameworks?: unknown } | undefined;
  const list = hubml?.frameworks;
  return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : null;
}

/**
 * The hubml kernel that has every framework of the profile (the fewest others when several
 * do); with no profile, or no such kernel, the server's default kernel (null when unknown).
 */
export function pickKernel(
  specs: { [name: string]: IKernelSpecLike | undefined },
  defaultName: string | null,
  profileFrameworks: string[] | null | undefined
): string | null {
  const wanted = profileFrameworks ?? [];
  if (wanted.length > 0) {
    let best: { name: string; extra: number } | null = null;
    for (const spec of Object.values(specs)) {
      const has = spec ? frameworksOf(spec) : null;
      if (!spec || !has || !wanted.every(f => has.includes(f))) {
        continue;
      }
      const extra = has.length - wanted.length;
      if (!best || extra < best.extra || (extra === best.extra && spec.name < best.name)) {
        best = { name: spec.name, extra };
      }
    }
    if (best) {
      return best.name;
    }
  }
  return defaultName && specs[defaultName] ? defaultName : null;
}

/** A notebook name from a prefix and a dataset: a slug of at most 63 characters. */
export function notebookName(prefix: string, dataset: string): string {
  const slug = `${prefix}-${dataset}`
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '');
  return slug.slice(0, 63).replace(/[-_]+$/, '') || prefix;
}
