import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compare } from '@renovatebot/pep440';
import { generateEcosystem, hostileText } from './ecosystem.js';
import { normalizeName, projectVersions, versionFromFilename, type FixtureFile, type FixtureProject } from './fixtures.js';
import { JSON_V1, startIndexServer } from './index-server.js';

const SIZE = 2000;
const { projects, topList } = generateEcosystem(SIZE);

const wheels = (p: FixtureProject): string[] => p.files.map((f) => f.filename).filter((f) => f.endsWith('.whl'));
const freeThreaded = /-cp3\d+-(cp3\d+t|abi3\.abi3t)-/;
/** The share of projects for which `predicate` holds. */
const share = (predicate: (p: FixtureProject) => boolean): number => projects.filter(predicate).length / projects.length;

function assertBetween(value: number, min: number, max: number, what: string): void {
  assert.ok(value >= min && value <= max, `${what}: ${value} not in [${min}, ${max}]`);
}

const releases = new WeakMap<FixtureProject, Map<string, FixtureFile[]>>();

/** The files of one version of a project (grouped once per project: the tests ask thousands of times). */
function releaseFiles(p: FixtureProject, version: string): FixtureFile[] {
  let byVersion = releases.get(p);
  if (byVersion === undefined) {
    byVersion = new Map();
    for (const f of p.files) {
      const v = versionFromFilename(f.filename, p.name) ?? '';
      byVersion.set(v, [...(byVersion.get(v) ?? []), f]);
    }
    releases.set(p, byVersion);
  }
  return byVersion.get(version) ?? [];
}

describe('generateEcosystem', () => {
  test('is deterministic, depends on the seed, and a smaller ecosystem is a prefix of a larger one', () => {
    assert.deepEqual(generateEcosystem(300), generateEcosystem(300));
    assert.notDeepEqual(generateEcosystem(50, 1).projects, generateEcosystem(50, 2).projects);
    assert.deepEqual(generateEcosystem(40).projects, generateEcosystem(300).projects.slice(0, 40));
  });

  test(`generates ${SIZE} projects`, () => {
    assert.equal(generateEcosystem(SIZE).projects.length, SIZE);
  });

  test('names are unique once normalised, and mix cases, dots, dashes and underscores', () => {
    const names = projects.map((p) => p.name);
    assert.equal(new Set(names.map(normalizeName)).size, SIZE);
    assert.deepEqual(names.slice(0, 3), ['eco-pkg-0001', 'Eco_Lib.0002', 'py-eco0003']);
    for (const pattern of [/[A-Z]/, /_/, /\./, /-/, /^[a-z0-9-]+$/]) assert.ok(names.some((n) => pattern.test(n)), String(pattern));
  });

  test('every project has 1 to 12 releases with increasing versions and upload times from 2019 to 2026', () => {
    const counts = new Set<number>();
    for (const p of projects) {
      const versions = projectVersions(p);
      counts.add(versions.length);
      assert.ok(versions.length >= 1 && versions.length <= 12, p.name);
      const times = versions.map((v) => releaseFiles(p, v)[0]?.uploadTime ?? '');
      for (let i = 1; i < versions.length; i++) {
        assert.ok(compare(versions[i - 1] ?? '', versions[i] ?? '') < 0, `${p.name}: ${versions.join(' ')}`);
        assert.ok((times[i - 1] ?? '') < (times[i] ?? ''), `${p.name}: ${times.join(' ')}`);
      }
      for (const t of times) assert.match(t, /^20(19|2[0-6])-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, p.name);
    }
    assert.ok(counts.has(1) && counts.has(12), 'the whole range occurs');
    const all = projects.flatMap(projectVersions);
    for (const pattern of [/^\d+\.\d+\.\d+$/, /^\d+\.\d+$/, /^\d+\.\d+(\.\d+)?rc1$/, /\.post1$/]) assert.ok(all.some((v) => pattern.test(v)), String(pattern));
  });

  test('the kinds of projects come in roughly the specified mix', () => {
    const pure = share((p) => wheels(p).length > 0 && wheels(p).every((w) => w.endsWith('-none-any.whl')));
    const sdistOnly = share((p) => wheels(p).length === 0);
    const abi3Only = share((p) => wheels(p).length > 0 && wheels(p).every((w) => w.includes('-cp39-abi3-')));
    const cp314t = share((p) => wheels(p).some((w) => w.includes('-cp314-cp314t-')));
    const dropped = share((p) => {
      const versions = projectVersions(p);
      const ready = versions.map((v) => releaseFiles(p, v).some((f) => freeThreaded.test(f.filename)));
      return ready.at(-1) === false && ready.includes(true);
    });
    const gilOnly = share((p) => wheels(p).length > 0 && wheels(p).every((w) => /-cp3(\d+)-cp3\1-/.test(w)));
    assertBetween(pure, 0.35, 0.45, 'pure');
    assertBetween(sdistOnly, 0.07, 0.13, 'sdist only');
    assertBetween(abi3Only, 0.07, 0.13, 'abi3 only');
    // Gaining support (25%), and the odd ones and dropped ones whose ready releases came after 3.14.0.
    assertBetween(cp314t, 0.24, 0.34, 'cp314t');
    assertBetween(dropped, 0.03, 0.07, 'dropped');
    assertBetween(gilOnly, 0.03, 0.07, 'GIL only');
  });

  test('compiled projects use the five default platforms, some without free-threaded Windows wheels', () => {
    const all = projects.flatMap(wheels);
    for (const platform of [
      'manylinux_2_17_x86_64.manylinux2014_x86_64',
      'manylinux_2_17_aarch64.manylinux2014_aarch64',
      'macosx_11_0_arm64',
      'macosx_10_13_x86_64',
      'macosx_10_9_universal2',
      'win_amd64',
    ]) {
      assert.ok(all.some((w) => w.endsWith(`-${platform}.whl`)), platform);
    }
    assert.ok(projects.some((p) => wheels(p).some((w) => /cp314t-manylinux/.test(w)) && !wheels(p).some((w) => /cp314t-win/.test(w))));
    // A release that gains free-threaded wheels keeps its GIL ones.
    assert.ok(projects.every((p) => wheels(p).every((w) => !w.includes('-cp314-cp314t-') || releaseFiles(p, versionFromFilename(w) ?? '').some((f) => f.filename.includes('-cp314-cp314-')))));
  });

  test('the odd ones are there: musllinux, cp315t and abi3t, a yanked newest release, build tags, pre-release only', () => {
    const all = projects.flatMap(wheels);
    assert.ok(all.some((w) => w.includes('-musllinux_1_2_x86_64.whl')));
    assert.ok(all.some((w) => w.includes('-cp315-cp315t-manylinux_2_28_x86_64.whl')));
    assert.ok(all.some((w) => w.includes('-cp315-abi3.abi3t-manylinux_2_28_x86_64.whl')));
    assert.ok(all.some((w) => w.slice(0, -'.whl'.length).split('-').length === 6), 'a build tag');
    assert.ok(projects.some((p) => projectVersions(p).every((v) => /(a|b|rc)\d+$/.test(v))), 'pre-release only');
    const yanked = projects.filter((p) => p.files.some((f) => f.yanked !== undefined));
    assert.ok(yanked.length > 0);
    for (const p of yanked) {
      const newest = projectVersions(p).at(-1) ?? '';
      assert.ok(p.files.every((f) => (f.yanked === 'broken build') === (versionFromFilename(f.filename, p.name) === newest)), p.name);
    }
  });

  test('every wheel has core metadata; the free-threading classifier is on a third of ready projects, only on ready releases', () => {
    for (const p of projects) {
      for (const f of p.files.filter((x) => x.filename.endsWith('.whl'))) {
        assert.equal(typeof f.metadata, 'string', f.filename);
        const md = String(f.metadata);
        for (const header of [/^Summary: ./m, /^Requires-Python: >=3\.\d+$/m, /^Project-URL: Homepage, /m, /^Project-URL: Source, /m, /^Project-URL: Issues, /m]) {
          assert.match(md, header, f.filename);
        }
        if (md.includes('Free Threading ::')) {
          assert.match(md, /^Classifier: Programming Language :: Python :: Free Threading :: [1-4] - (Unstable|Beta|Stable|Resilient)$/m);
          const version = versionFromFilename(f.filename, p.name) ?? '';
          assert.ok(releaseFiles(p, version).some((x) => freeThreaded.test(x.filename)), f.filename);
        }
      }
    }
    const ready = projects.filter((p) => p.files.some((f) => freeThreaded.test(f.filename)));
    const classified = ready.filter((p) => p.files.some((f) => typeof f.metadata === 'string' && f.metadata.includes('Free Threading ::')));
    assertBetween(classified.length / ready.length, 0.25, 0.42, 'classified share of ready projects');
    assert.ok(projects.some((p) => p.files.some((f) => typeof f.metadata === 'string' && f.metadata.includes('Requires-Dist: '))));
    assert.match(String(projects[0]?.files.find((f) => f.metadata)?.metadata), /^Project-URL: Homepage, https:\/\/example\.org\/eco\/eco-pkg-0001$/m);
  });

  test('projects 2 and 3 are hostile, project 5 is unicode with an RTL override', () => {
    const metadataOf = (index: number): string => {
      const md = projects[index]?.files.find((f) => typeof f.metadata === 'string')?.metadata;
      assert.ok(typeof md === 'string', `project ${index} has metadata`);
      return md;
    };
    for (const index of [2, 3]) {
      const md = metadataOf(index);
      assert.ok(md.includes(hostileText.script) && md.includes(hostileText.attribute), `summary of ${index}`);
      assert.ok(md.includes(`, ${hostileText.javascriptUrl}\n`) && md.includes(`, ${hostileText.dataUrl}\n`), `URLs of ${index}`);
    }
    assert.ok(wheels(projects[3] ?? { name: '', files: [] }).some((w) => freeThreaded.test(w)), 'a hostile project is ready');
    assert.ok(metadataOf(5).includes('\u202E') && metadataOf(5).includes(hostileText.unicode));
  });

  test('the top list ranks every project once, with strictly decreasing download counts', () => {
    assert.equal(topList.rows.length, SIZE);
    assert.deepEqual(new Set(topList.rows.map((r) => r.project)), new Set(projects.map((p) => normalizeName(p.name))));
    assert.notDeepEqual(
      topList.rows.slice(0, 10).map((r) => r.project),
      projects.slice(0, 10).map((p) => normalizeName(p.name)),
      'not simply the index order',
    );
    topList.rows.forEach((row, i) => {
      assert.ok(Number.isInteger(row.download_count) && row.download_count > 0);
      if (i > 0) assert.ok(row.download_count < (topList.rows[i - 1]?.download_count ?? 0), `rank ${i + 1}`);
    });
    assert.ok((topList.rows[0]?.download_count ?? 0) > 1000 * (topList.rows.at(-1)?.download_count ?? 0), 'Zipf-like spread');
  });

  test(`the index server serves all ${SIZE} projects`, async (t) => {
    const server = await startIndexServer({ projects });
    t.after(() => server.close());
    const res = await fetch(server.simpleUrl, { headers: { accept: JSON_V1 } });
    assert.equal(res.status, 200);
    const root = (await res.json()) as { projects: Array<{ name: string }> };
    assert.equal(root.projects.length, SIZE);
    const hostile = projects[3];
    assert.ok(hostile);
    const page = await fetch(`${server.simpleUrl}${normalizeName(hostile.name)}/`, { headers: { accept: JSON_V1 } });
    assert.equal(((await page.json()) as { files: unknown[] }).files.length, hostile.files.length);
  });
});
