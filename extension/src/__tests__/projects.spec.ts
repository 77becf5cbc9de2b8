import { afterEach, describe, expect, it, vi } from 'vitest';

import { CurrentProjectModel } from '../models/current';
import { ProjectsModel } from '../models/projects';
import { project } from './fixtures';
import { apiError, FakeServer, status } from './server';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A fake server that keeps a list of projects, as the real one does. */
function projectsServer(names: string[]) {
  let projects = names.map(name => project(name));
  const server = new FakeServer({
    'GET projects': () => ({ projects })
  });
  server.on('POST projects', ({ body }) => {
    const { name, description } = body as { name: string; description: string };
    if (projects.some(p => p.name === name)) {
      return status(409, apiError('conflict', `a project named '${name}' already exists`));
    }
    projects = [...projects, project(name, { description })];
    return status(201, projects[projects.length - 1]);
  });
  for (const name of ['demo', 'churn', 'iris']) {
    server.on(`PATCH projects/${name}`, ({ body }) => {
      const newName = (body as { name: string }).name;
      projects = projects.map(p => (p.name === name ? project(newName) : p));
      return project(newName);
    });
    server.on(`DELETE projects/${name}`, () => {
      projects = projects.filter(p => p.name !== name);
      return { trashed_to: `/home/alice/projects/.trash/${name}-1` };
    });
  }
  return server;
}

function model() {
  return new ProjectsModel(new CurrentProjectModel(null));
}

describe('ProjectsModel', () => {
  it('lists projects and chooses the first as current when none is chosen', async () => {
    projectsServer(['demo', 'churn']);
    const projects = model();
    await projects.refresh();
    expect(projects.projects?.map(p => p.name)).toEqual(['demo', 'churn']);
    expect(projects.current.name).toBe('demo');
  });

  it('filters by name, description and tags, any case, every word', async () => {
    const server = new FakeServer({
      'GET projects': () => ({
        projects: [
          project('churn', { description: 'Who leaves the bank' }),
          project('iris', { tags: ['demo', 'flowers'] }),
          project('demo', { description: 'Sample data' })
        ]
      })
    });
    const projects = model();
    await projects.refresh();
    const emitted = vi.fn();
    projects.changed.connect(emitted);
    projects.query = 'BANK';
    expect(projects.filtered.map(p => p.name)).toEqual(['churn']);
    projects.query = 'demo';
    expect(projects.filtered.map(p => p.name)).toEqual(['iris', 'demo']);
    projects.query = 'demo flowers';
    expect(projects.filtered.map(p => p.name)).toEqual(['iris']);
    projects.query = '';
    expect(projects.filtered).toHaveLength(3);
    expect(emitted).toHaveBeenCalledTimes(4);
    expect(server.count('GET projects')).toBe(1); // searching asks the server nothing
  });

  it('creates a project and makes it current', async () => {
    const server = projectsServer(['demo']);
    const projects = model();
    await projects.refresh();
    await projects.create('churn', 'Who leaves');
    expect(projects.projects?.map(p => p.name)).toEqual(['demo', 'churn']);
    expect(projects.current.name).toBe('churn');
    expect(server.requests.find(r => r.method === 'POST')?.body).toEqual({
      name: 'churn',
      description: 'Who leaves'
    });
  });

  it("rejects with the server's message when the name is taken, changing nothing", async () => {
    projectsServer(['demo']);
    const projects = model();
    await projects.refresh();
    await expect(projects.create('demo')).rejects.toThrow("a project named 'demo' already exists");
    expect(projects.current.name).toBe('demo');
  });

  it('renames: the current project follows', async () => {
    projectsServer(['demo', 'churn']);
    const projects = model();
    await projects.refresh();
    projects.current.set('churn');
    await projects.rename('churn', 'iris');
    expect(projects.current.name).toBe('iris');
    expect(projects.projects?.map(p => p.name)).toEqual(['demo', 'iris']);
  });

  it('deletes: says where it went and the current project moves on', async () => {
    projectsServer(['demo', 'churn']);
    const projects = model();
    await projects.refresh();
    projects.current.set('churn');
    expect(await projects.remove('churn')).toBe('/home/alice/projects/.trash/churn-1');
    expect(projects.current.name).toBe('demo');
  });
});
