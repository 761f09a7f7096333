import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultModelDir, defaultSentimentModelDir, fetchedModelsDir, modelCandidatesDir } from './paths';

const repo = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

describe('defaultModelDir', () => {
  it("is the repository's models/trm-default from the sources, a bundle or a dev Electron", () => {
    expect(defaultModelDir({})).toBe(join(repo, 'models', 'trm-default'));
    expect(defaultModelDir({ from: join(repo, 'out', 'main') })).toBe(join(repo, 'models', 'trm-default'));
    expect(defaultModelDir({ resourcesPath: '/opt/electron/resources', defaultApp: true })).toBe(
      join(repo, 'models', 'trm-default'),
    );
  });

  it("is the app's resources/models/trm-default when packaged", () => {
    expect(defaultModelDir({ resourcesPath: '/opt/TRM Workstation/resources' })).toBe(
      join('/opt/TRM Workstation/resources', 'models', 'trm-default'),
    );
  });
});

describe('modelCandidatesDir', () => {
  it('is models/candidates in the data folder', () => {
    expect(modelCandidatesDir('/data')).toBe(join('/data', 'models', 'candidates'));
  });
});

describe('defaultSentimentModelDir and fetchedModelsDir', () => {
  it('is models/sentiment-default beside the strategy model, in the repository and when packaged', () => {
    expect(defaultSentimentModelDir({})).toBe(join(repo, 'models', 'sentiment-default'));
    expect(defaultSentimentModelDir({ resourcesPath: '/opt/TRM Workstation/resources' })).toBe(
      join('/opt/TRM Workstation/resources', 'models', 'sentiment-default'),
    );
  });

  it('puts fetched hub models in models/fetched in the data folder', () => {
    expect(fetchedModelsDir('/data')).toBe(join('/data', 'models', 'fetched'));
  });
});
