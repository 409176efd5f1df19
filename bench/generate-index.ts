import { project, release } from '../test/support/fixtures.js';
import type { FixtureProject } from '../test/support/fixtures.js';

// A synthetic index for timing dependency walks: `size` projects, each with
// a few releases and realistic wheel sets, depending on projects further
// down the list, and a requirements file naming the first `topLevel`.

const LINUX = 'manylinux_2_17_x86_64.manylinux2014_x86_64';
const PLATFORMS = [LINUX, 'manylinux_2_17_aarch64.manylinux2014_aarch64', 'macosx_11_0_arm64', 'macosx_10_13_x86_64', 'win_amd64'];

function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

export function generateIndex(size: number, topLevel: number, seed = 11): { projects: FixtureProject[]; requirements: string } {
  const rand = rng(seed);
  const name = (i: number) => `bench-pkg-${i.toString().padStart(4, '0')}`;
  const projects: FixtureProject[] = [];
  for (let i = 0; i < size; i++) {
    // Dependencies point further down the list, so the graph has no cycles and
    // the top-level projects reach most of the rest.
    const deps: string[] = [];
    for (let d = 0; d < 3 && i + 1 < size; d++) {
      if (rand() < 0.7) deps.push(`${name(i + 1 + Math.floor(rand() * Math.min(40, size - i - 1)))}>=1.0`);
    }
    if (rand() < 0.2) deps.push(`${name(Math.min(size - 1, i + 1))}; sys_platform == "win32"`);
    const kind = rand();
    const releases = ['1.0', '1.1', '2.0'].map((version, r) => {
      let files: string[];
      if (kind < 0.5) files = ['py3-none-any', 'sdist'];
      else if (kind < 0.65) files = [...PLATFORMS.map((p) => `cp39-abi3-${p}`), 'sdist'];
      else files = [...PLATFORMS.map((p) => `cp313-cp313-${p}`), ...PLATFORMS.map((p) => `cp314-cp314-${p}`), ...(r === 2 ? PLATFORMS.map((p) => `cp314-cp314t-${p}`) : []), 'sdist'];
      return release(name(i), version, files, { requiresDist: deps, requiresPython: '>=3.9' });
    });
    projects.push(project(name(i), ...releases));
  }
  const requirements = Array.from({ length: topLevel }, (_, i) => `${name(i)}>=1.0\n`).join('');
  return { projects, requirements };
}
