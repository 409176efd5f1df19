import type { CheckReport, PackageReport } from '../../src/project/check-report.js';
import type { PlatformResult } from '../../src/status/release-status.js';
import type { Readiness } from '../../src/status/vocabulary.js';
import {
  ALL_PLATFORMS,
  type PackageDetail,
  type PackagePage,
  type PackageRow,
  type ReadyEvent,
  type SnapshotPoint,
  type Summary,
  type TrackerSettings,
  type WheelSegment,
} from '../../src/store/read-models.js';

// Small builders for the web renderers' inputs. HOSTILE_* values are what a
// malicious package could publish; every page must show them inert.

export const HOSTILE_TEXT = `<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" 'single' & \u202Egnp.exe`;
export const HOSTILE_NAME = `evil<script>alert(3)</script>\u202Epkg`;
export const HOSTILE_URLS = [
  'javascript:alert(4)',
  ' JaVaScRiPt:alert(5)',
  'data:text/html,<script>alert(6)</script>',
  'vbscript:msgbox(7)',
  'https://user:secret@evil.example/',
  '/relative/path',
];

export const TARGETS = ['3.14t', '3.15t'];
export const PLATFORMS = ['linux-x86_64', 'macos-arm64', 'windows-amd64'];

export function settings(overrides: Partial<TrackerSettings> = {}): TrackerSettings {
  return { targets: TARGETS, platforms: PLATFORMS, topN: 100, indexUrl: 'https://pypi.org/simple/', ...overrides };
}

export function counts(partial: Partial<Record<Readiness, number>> = {}): Record<Readiness, number> {
  return { ready: 0, 'needs-build': 0, blocked: 0, unknown: 0, 'not-installed': 0, 'not-checkable': 0, ...partial };
}

export function readyEvent(overrides: Partial<ReadyEvent> = {}): ReadyEvent {
  return { project: 'numpy', displayName: 'numpy', target: '3.14t', kind: 'first-ready', version: '2.3.0', at: '2025-06-01T12:00:00Z', downloadRank: 3, ...overrides };
}

export function snapshot(day: string, target: string, ready: number, total = 100): SnapshotPoint {
  return { day, target, total, counts: { ready, blocked: total - ready } };
}

export function summary(overrides: Partial<Summary> = {}): Summary {
  return {
    settings: settings(),
    updatedAt: '2025-06-02T08:00:00Z',
    projectCount: 120,
    shares: TARGETS.map((target) => ({ target, total: 100, counts: counts({ ready: 62, 'needs-build': 20, blocked: 10, unknown: 8 }), readyShare: 0.62 })),
    snapshots: [snapshot('2025-05-01', '3.14t', 40), snapshot('2025-06-01', '3.14t', 62), snapshot('2025-06-01', '3.15t', 30)],
    recentlyReady: [readyEvent(), readyEvent({ project: 'evil', displayName: HOSTILE_NAME, version: HOSTILE_TEXT, kind: 'restored', at: null, downloadRank: null })],
    ...overrides,
  };
}

const READINESS_CYCLE: Readiness[] = ['ready', 'needs-build', 'blocked', 'unknown'];

export function segments(n: number): WheelSegment[] {
  return Array.from({ length: n }, (_, i) => ({ project: `pkg-${i}`, displayName: `Pkg_${i}`, downloadRank: i + 1, readiness: READINESS_CYCLE[i % READINESS_CYCLE.length]! }));
}

export function packageRow(overrides: Partial<PackageRow> = {}): PackageRow {
  return {
    project: 'numpy',
    displayName: 'numpy',
    summary: 'Fundamental package for array computing',
    downloadRank: 3,
    downloadCount: 1_000_000,
    latestVersion: '2.3.0',
    classifierLevel: 3,
    hasNightly: true,
    targets: {
      '3.14t': { readiness: 'ready', firstReady: '2.1.0', firstReadyAt: '2024-08-18T00:00:00Z' },
      '3.15t': { readiness: 'needs-build', firstReady: null, firstReadyAt: null },
    },
    ...overrides,
  };
}

export function packagePage(overrides: Partial<PackagePage> = {}): PackagePage {
  return {
    total: 250,
    page: 3,
    pageSize: 20,
    rows: [packageRow(), packageRow({ project: 'evil', displayName: HOSTILE_NAME, summary: HOSTILE_TEXT, latestVersion: HOSTILE_TEXT, downloadRank: null, classifierLevel: null, hasNightly: false, targets: {} })],
    ...overrides,
  };
}

export function packageDetail(overrides: Partial<PackageDetail> = {}): PackageDetail {
  const cell = (readiness: Readiness, status: PackageDetail['matrix'][string][string]['status'], reason: string, files: string[]) => ({ readiness, status, reason, files });
  return {
    project: 'evil',
    displayName: HOSTILE_NAME,
    summary: HOSTILE_TEXT,
    downloadRank: 42,
    downloadCount: 12345,
    latestVersion: '1.2.0',
    classifier: { level: 2, label: HOSTILE_TEXT },
    classifiers: [HOSTILE_TEXT],
    links: [
      { label: 'Homepage', url: 'https://example.org/evil' },
      ...HOSTILE_URLS.map((url) => ({ label: HOSTILE_TEXT, url })),
    ],
    problem: HOSTILE_TEXT,
    syncedAt: '2025-06-02T08:00:00Z',
    matrix: {
      '3.14t': {
        'linux-x86_64': cell('ready', 'free-threaded-wheel', 'a cp314t wheel for linux-x86_64', ['evil-1.2.0-cp314-cp314t-manylinux_2_17_x86_64.whl']),
        'macos-arm64': cell('blocked', 'abi3-only', HOSTILE_TEXT, [HOSTILE_TEXT, 'b.whl', 'c.whl', 'd.whl', 'e.whl', 'f.whl', 'g.whl', 'h.whl']),
        [ALL_PLATFORMS]: cell('blocked', 'abi3-only', 'rolled up', []),
        'linux-riscv64': cell('needs-build', 'source-only', 'only an sdist', ['evil-1.2.0.tar.gz']),
      },
      '3.15t': {
        'linux-x86_64': cell('unknown', 'unknown', 'inconsistent wheel list', []),
      },
    },
    targets: {
      '3.14t': { readiness: 'blocked', firstReady: '1.0.0', firstReadyAt: '2024-10-01T00:00:00Z' },
      '3.15t': { readiness: 'unknown', firstReady: null, firstReadyAt: null },
    },
    timeline: [
      { target: '3.14t', platform: ALL_PLATFORMS, kind: 'first-ready', version: '1.0.0', previous: null, at: '2024-10-01T00:00:00Z' },
      { target: '3.14t', platform: 'linux-x86_64', kind: 'first-ready', version: '1.0.0', previous: null, at: '2024-10-01T00:00:00Z' },
      { target: '3.14t', platform: 'macos-arm64', kind: 'dropped', version: HOSTILE_TEXT, previous: '1.1.0', at: null },
      { target: '3.14t', platform: 'macos-arm64', kind: 'restored', version: '1.3.0', previous: null, at: 'not a date' },
    ],
    nightly: [
      { indexUrl: 'https://pypi.anaconda.org/scientific-python-nightly-wheels/simple', version: '1.3.0.dev0', readiness: { '3.14t': 'ready', '3.15t': 'ready' }, problem: null },
      { indexUrl: 'javascript:alert(8)', version: null, readiness: {}, problem: HOSTILE_TEXT },
    ],
    releases: [
      { version: '1.2.0', yanked: null, prerelease: false, uploadTime: '2025-05-01T00:00:00Z', readiness: { '3.14t': 'blocked', '3.15t': 'unknown' }, fileCount: 9 },
      { version: HOSTILE_TEXT, yanked: HOSTILE_TEXT, prerelease: true, uploadTime: null, readiness: { '3.14t': 'ready' }, fileCount: 1 },
      { version: '1.0.0', yanked: '', prerelease: false, uploadTime: '2024-10-01T00:00:00Z', readiness: { '3.14t': 'ready', '3.15t': 'not-installed' }, fileCount: 3 },
    ],
    ...overrides,
  };
}

const result = (readiness: Readiness, status: PlatformResult['status'], reason: string, files: string[] = []): PlatformResult => ({ readiness, status, reason, files });

function report(name: string, perTarget: Record<string, PlatformResult>, extra: Partial<PackageReport> = {}): PackageReport {
  const results: PackageReport['results'] = {};
  const readiness: PackageReport['readiness'] = {};
  for (const [target, r] of Object.entries(perTarget)) {
    results[target] = Object.fromEntries(PLATFORMS.map((p) => [p, r]));
    readiness[target] = r.readiness;
  }
  return { name, version: '1.0', input: 'uv.lock', results, readiness, ...extra };
}

export function checkReport(): CheckReport {
  const packages: PackageReport[] = [
    report('requests', { '3.14t': result('ready', 'compatible-wheel', 'pure-Python wheel (py3-none-any)'), '3.15t': result('ready', 'compatible-wheel', 'pure-Python wheel (py3-none-any)') }),
    report(HOSTILE_NAME, { '3.14t': result('blocked', 'abi3-only', HOSTILE_TEXT, [HOSTILE_TEXT]), '3.15t': result('needs-build', 'source-only', 'only an sdist', ['x.tar.gz']) }, {
      path: ['my-app', 'middle', HOSTILE_NAME],
      version: HOSTILE_TEXT,
      advice: { '3.14t': { upgradeTo: '2.0', latest: { version: '2.0', ready: true }, droppedIn: null, lastReady: null, nightly: null, summary: `upgrade to 2.0 ${HOSTILE_TEXT}` } },
    }),
    report('tomli', { '3.14t': result('not-installed', 'not-installed', "not installed on this target: python_version < '3.11'"), '3.15t': result('not-installed', 'not-installed', "not installed on this target: python_version < '3.11'") }),
    report('orjson', { '3.14t': result('needs-build', 'no-compatible-wheel', 'no cp314t wheel for linux-x86_64', ['orjson-3.11.3.tar.gz']), '3.15t': result('unknown', 'unknown', 'malformed lockfile entry') }, { ignored: HOSTILE_TEXT }),
  ];
  const summaryCounts = Object.fromEntries(TARGETS.map((t) => [t, counts()])) as CheckReport['summary'];
  for (const p of packages) for (const t of TARGETS) summaryCounts[t]![p.readiness[t]!]++;
  return { schemaVersion: 1, targets: TARGETS, platforms: PLATFORMS, inputs: ['uv.lock'], packages, summary: summaryCounts, notes: [HOSTILE_TEXT] };
}
