import { describe, expect, it, vi } from 'vitest';

import { HubMLError } from '../request';
import { IStatus, StatusModel } from '../status';

const STATUS: IStatus = {
  version: '0.1.0',
  profile: {
    name: 'sklearn',
    display_name: 'scikit-learn',
    description: 'Classic machine learning.',
    frameworks: ['sklearn']
  },
  frameworks: [
    {
      name: 'sklearn',
      label: 'scikit-learn',
      module: 'sklearn',
      importable: true,
      version: '1.9.0'
    }
  ],
  project_roots: ['/home/jupyter-alice/projects'],
  server: { user: 'alice', base_url: '/user/alice/' }
};

describe('StatusModel', () => {
  it('holds the status and signals loading and done', async () => {
    const model = new StatusModel(() => Promise.resolve(STATUS));
    const seen: boolean[] = [];
    model.changed.connect(() => seen.push(model.loading));
    await model.refresh();
    expect(model.status).toEqual(STATUS);
    expect(model.error).toBeNull();
    expect(seen).toEqual([true, false]);
  });

  it("keeps the server's message on failure and clears it on success", async () => {
    const fetchStatus = vi
      .fn<() => Promise<IStatus>>()
      .mockRejectedValueOnce(
        new HubMLError('The workspace is read-only.', 'read_only', 500)
      )
      .mockResolvedValueOnce(STATUS);
    const model = new StatusModel(fetchStatus);
    await model.refresh();
    expect(model.error).toBe('The workspace is read-only.');
    expect(model.status).toBeNull();
    await model.refresh();
    expect(model.error).toBeNull();
    expect(model.status?.profile?.name).toBe('sklearn');
  });

  it('shares one request between concurrent refreshes', async () => {
    const fetchStatus = vi.fn(() => Promise.resolve(STATUS));
    const model = new StatusModel(fetchStatus);
    await Promise.all([model.refresh(), model.refresh()]);
    expect(fetchStatus).toHaveBeenCalledTimes(1);
  });
});
