import type { Requirement } from '../standards/requirement.js';

// What every project input that needs the index produces (requirements.txt,
// pyproject.toml, Pipfile, Pipfile.lock): the requirements to check, where
// each was declared, and the index settings the file carries.

export interface DeclaredRequirement {
  requirement: Requirement;
  /** Where it was declared, for messages: "requirements.txt:12" or "pyproject.toml [project.dependencies]". */
  origin: string;
  /** Allowed file hashes, as "sha256:HEX" (pip --hash, Pipfile.lock "hashes"); empty when none are given. */
  hashes: string[];
  /** [build-system].requires: needed to build the project from source, checked as such. */
  build: boolean;
  /** The extra, dependency group or Pipfile section it belongs to; null for the main dependencies. */
  group: string | null;
}

export interface NotCheckableRequirement {
  name: string;
  origin: string;
  /** e.g. "a VCS reference (git+https://…)", "a local path (./pkg)", "editable install" */
  reason: string;
}

export type ManifestFormat = 'requirements.txt' | 'pyproject.toml' | 'Pipfile' | 'Pipfile.lock';

export interface ProjectManifest {
  path: string;
  format: ManifestFormat;
  /** The project's own name, when the file says ([project].name, [tool.poetry].name). */
  projectName: string | null;
  requirements: DeclaredRequirement[];
  /** pip -c constraints: they narrow versions but add no packages. */
  constraints: DeclaredRequirement[];
  notCheckable: NotCheckableRequirement[];
  /** --index-url / [[source]] given in the file; the command line overrides it. */
  indexUrl: string | null;
  extraIndexUrls: string[];
  /**
   * True when the file pins the whole closure (pip-compile output with
   * --hash, Pipfile.lock): every requirement is checked at its pinned
   * version and no dependencies are walked.
   */
  locked: boolean;
  notes: string[];
}

export function emptyManifest(path: string, format: ManifestFormat): ProjectManifest {
  return {
    path,
    format,
    projectName: null,
    requirements: [],
    constraints: [],
    notCheckable: [],
    indexUrl: null,
    extraIndexUrls: [],
    locked: false,
    notes: [],
  };
}
