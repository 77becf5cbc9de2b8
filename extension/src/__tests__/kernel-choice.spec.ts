import { describe, expect, it } from 'vitest';

import { notebookName, pickKernel } from '../kernel-choice';

const spec = (name: string, frameworks?: string[]) => ({
  name,
  metadata: frameworks ? { hubml: { frameworks } } : {}
});

const SPECS = {
  python3: spec('python3'),
  'hubml-python': spec('hubml-python', ['sklearn', 'tensorflow', 'torch', 'h2o']),
  'hubml-sklearn': spec('hubml-sklearn', ['sklearn']),
  'hubml-torch': spec('hubml-torch', ['sklearn', 'torch'])
};

describe('pickKernel', () => {
  it("takes the hubml kernel with the profile's frameworks and the fewest others", () => {
    expect(pickKernel(SPECS, 'python3', ['sklearn'])).toBe('hubml-sklearn');
    expect(pickKernel(SPECS, 'python3', ['torch'])).toBe('hubml-torch');
    expect(pickKernel(SPECS, 'python3', ['h2o', 'sklearn'])).toBe('hubml-python');
  });

  it("falls back to the server's default kernel", () => {
    expect(pickKernel(SPECS, 'python3', null)).toBe('python3');
    expect(pickKernel(SPECS, 'python3', [])).toBe('python3');
    expect(pickKernel({ python3: spec('python3') }, 'python3', ['sklearn'])).toBe('python3');
    expect(pickKernel({}, 'python3', ['sklearn'])).toBeNull(); // a default that is not there
  });
});

describe('notebookName', () => {
  it('makes a slug the server accepts', () => {
    expect(notebookName('data-studio', 'iris')).toBe('data-studio-iris');
    expect(notebookName('training-form', 'x'.repeat(80))).toHaveLength(63);
    expect(notebookName('data-studio', 'a'.repeat(50) + '_b')).toMatch(/^[a-z0-9][a-z0-9_-]{0,62}$/);
  });
});
