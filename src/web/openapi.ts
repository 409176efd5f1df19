import { READINESS, STATUSES } from '../status/vocabulary.js';

// The JSON API's description, served at /api/v1/openapi.json. Schemas name
// the same fields as src/store/read-models.ts and the check report schema.

const readiness = { type: 'string', enum: READINESS.map((r) => r.id) };
const status = { type: 'string', enum: STATUSES.map((s) => s.id) };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const problem = (description: string) => json({ $ref: '#/components/schemas/Error' }, description);
const query = (name: string, description: string, schema: object) => ({ name, in: 'query', required: false, description, schema });

/** Fields a package has in the list and in its own page. */
const packageFields = {
  project: { type: 'string' },
  displayName: { type: 'string' },
  summary: nullable({ type: 'string' }),
  downloadRank: nullable({ type: 'integer' }),
  downloadCount: nullable({ type: 'integer' }),
  latestVersion: nullable({ type: 'string' }),
};

const targetCell = {
  type: 'object',
  required: ['readiness', 'firstReady', 'firstReadyAt'],
  properties: { readiness, firstReady: nullable({ type: 'string' }), firstReadyAt: nullable({ type: 'string', format: 'date-time' }) },
};

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'ftready tracker API',
    version: '1.0.0',
    description: 'How ready Python packages are for free-threaded CPython, per interpreter and platform. Every string from a package index is untrusted data.',
  },
  servers: [{ url: '/api/v1' }],
  paths: {
    '/summary': {
      get: {
        summary: 'Share of the top N packages ready per target, snapshots and recent changes',
        responses: { 200: json({ $ref: '#/components/schemas/Summary' }, 'The summary') },
      },
    },
    '/packages': {
      get: {
        summary: 'Packages, filtered, sorted and paged',
        parameters: [
          query('q', 'Substring of the name or summary', { type: 'string', maxLength: 100 }),
          query('status', 'Readiness on the target (and platform)', readiness),
          query('target', 'Interpreter, e.g. 3.14t; default the first tracked', { type: 'string' }),
          query('platform', 'A platform family; default all platforms rolled up', { type: 'string' }),
          query('nightly', 'Only packages with (yes, true) or without (no, false) nightly wheels', { type: 'string', enum: ['yes', 'no', 'true', 'false'] }),
          query('classifier', 'Free Threading classifier level, or none', { type: 'string', enum: ['none', '1', '2', '3', '4'] }),
          query('sort', 'Order', { type: 'string', enum: ['rank', 'name', 'ready-date'] }),
          query('page', '1-based page', { type: 'integer', minimum: 1 }),
          query('per_page', 'Rows per page', { type: 'integer', minimum: 1, maximum: 200 }),
        ],
        responses: { 200: json({ $ref: '#/components/schemas/PackagePage' }, 'One page of packages'), 400: problem('A query parameter is invalid') },
      },
    },
    '/packages/{name}': {
      get: {
        summary: "One package: the latest release's platform × target matrix, timeline, nightly wheels and releases",
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: json({ $ref: '#/components/schemas/PackageDetail' }, 'The package'),
          301: { description: 'The name is not normalised (PEP 503): Location gives the normalised URL' },
          404: problem('Not tracked'),
        },
      },
    },
    '/check': {
      post: {
        summary: 'Check a project file, as `ftready check` does',
        parameters: [
          {
            name: 'filename',
            in: 'query',
            required: true,
            description: 'Picks the format: requirements.txt, pyproject.toml, uv.lock, poetry.lock, pylock.toml, Pipfile or Pipfile.lock',
            schema: { type: 'string' },
          },
        ],
        requestBody: { required: true, content: { 'text/plain': { schema: { type: 'string' } }, 'application/octet-stream': { schema: { type: 'string' } } } },
        responses: {
          200: json({ $ref: '#/components/schemas/CheckReport' }, 'The check report (schema: docs/schemas/check-report.v1.json)'),
          400: problem('The file cannot be read'),
          413: problem('The file is larger than the limit'),
          429: problem('Too many checks from this client; see Retry-After'),
        },
      },
    },
  },
  components: {
    schemas: {
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
      TargetCell: targetCell,
      Summary: {
        type: 'object',
        required: ['settings', 'updatedAt', 'projectCount', 'shares', 'snapshots', 'recentlyReady'],
        properties: {
          settings: {
            type: 'object',
            properties: { targets: { type: 'array', items: { type: 'string' } }, platforms: { type: 'array', items: { type: 'string' } }, topN: { type: 'integer' }, indexUrl: { type: 'string' } },
          },
          updatedAt: nullable({ type: 'string', format: 'date-time' }),
          projectCount: { type: 'integer' },
          shares: {
            type: 'array',
            items: { type: 'object', properties: { target: { type: 'string' }, total: { type: 'integer' }, counts: { type: 'object', additionalProperties: { type: 'integer' } }, readyShare: { type: 'number' } } },
          },
          snapshots: {
            type: 'array',
            items: { type: 'object', properties: { day: { type: 'string', format: 'date' }, target: { type: 'string' }, total: { type: 'integer' }, counts: { type: 'object', additionalProperties: { type: 'integer' } } } },
          },
          recentlyReady: { type: 'array', items: { $ref: '#/components/schemas/ReadyEvent' } },
        },
      },
      ReadyEvent: {
        type: 'object',
        properties: {
          project: { type: 'string' },
          displayName: { type: 'string' },
          target: { type: 'string' },
          kind: { type: 'string', enum: ['first-ready', 'restored', 'dropped'] },
          version: { type: 'string' },
          at: nullable({ type: 'string', format: 'date-time' }),
          downloadRank: nullable({ type: 'integer' }),
        },
      },
      PackagePage: {
        type: 'object',
        required: ['total', 'page', 'pageSize', 'rows'],
        properties: {
          total: { type: 'integer' },
          page: { type: 'integer' },
          pageSize: { type: 'integer' },
          rows: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                ...packageFields,
                classifierLevel: nullable({ type: 'integer' }),
                hasNightly: { type: 'boolean' },
                targets: { type: 'object', additionalProperties: { $ref: '#/components/schemas/TargetCell' } },
              },
            },
          },
        },
      },
      PackageDetail: {
        type: 'object',
        properties: {
          ...packageFields,
          classifiers: { type: 'array', items: { type: 'string' } },
          syncedAt: { type: 'string', format: 'date-time' },
          classifier: nullable({ type: 'object', properties: { level: { type: 'integer' }, label: { type: 'string' } } }),
          links: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' }, url: { type: 'string' } } } },
          problem: nullable({ type: 'string' }),
          matrix: {
            type: 'object',
            description: 'matrix[target][platform] for the latest release',
            additionalProperties: {
              type: 'object',
              additionalProperties: { type: 'object', properties: { status, readiness, reason: { type: 'string' }, files: { type: 'array', items: { type: 'string' } } } },
            },
          },
          targets: { type: 'object', additionalProperties: { $ref: '#/components/schemas/TargetCell' } },
          timeline: { type: 'array', items: { type: 'object' } },
          nightly: { type: 'array', items: { type: 'object' } },
          releases: { type: 'array', items: { type: 'object' } },
        },
      },
      CheckReport: { type: 'object', description: 'See docs/schemas/check-report.v1.json' },
    },
  },
} as const;
