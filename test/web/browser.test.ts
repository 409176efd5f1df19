import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TrackerStore } from '../../src/store/tracker-store.js';
import { startServer, type RunningServer } from '../../src/web/server.js';
import { parseInterpreter, type Interpreter } from '../../src/standards/interpreters.js';
import { DEFAULT_PLATFORMS, platformFamily, type PlatformFamily } from '../../src/standards/platform-families.js';
import { ftreadyAsync } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { generateEcosystem } from '../support/ecosystem.js';
import { startIndexServer, type IndexServer } from '../support/index-server.js';

// The site in a real browser: Debian's Chromium, headless, driven by
// playwright-core. Screenshots go to test-output/ for a person to look at.

const CHROMIUM = '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? false : `SKIPPED: ${CHROMIUM} is absent; .ci/run installs it (apt-get install -y chromium)`;
if (missing) console.warn(missing);
const screenshots = join(repoRoot, 'test-output');

describe('the tracker in Chromium', { skip: missing }, () => {
  let index: IndexServer;
  let store: TrackerStore;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const ecosystem = generateEcosystem(300, 5);

  before(async () => {
    index = await startIndexServer({ projects: ecosystem.projects });
    const dir = mkdtempSync(join(tmpdir(), 'ftready-browser-'));
    writeFileSync(join(dir, 'top.json'), JSON.stringify(ecosystem.topList));
    const r = await ftreadyAsync(['sync', '--top', '300', '--top-list', join(dir, 'top.json'), '--index-url', index.simpleUrl, '--data-dir', join(dir, 'data'), '--no-nightly', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    store = await TrackerStore.open({ dataDir: join(dir, 'data') });
    const settings = (await store.settings())!;
    server = await startServer({
      store,
      host: '127.0.0.1',
      port: 0,
      checkMaxBytes: 256 * 1024,
      checkPerMinute: 60,
      check: {
        interpreters: settings.targets.map(parseInterpreter).filter((i): i is Interpreter => i !== null),
        families: DEFAULT_PLATFORMS.map(platformFamily).filter((f): f is PlatformFamily => f !== undefined),
        index: null,
        nightly: [],
      },
    });
    mkdirSync(screenshots, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // A script error, a failed resource or a CSP violation fails the test that caused it.
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console error on ${page.url()}: ${msg.text()}`);
    });
  });
  afterEach(() => {
    const seen = errors.splice(0);
    assert.deepEqual(seen, []);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await index?.close();
  });

  test('the overview renders its charts', async () => {
    await page.goto(`${server.url}/`);
    const wheels = page.locator('svg a[href^="/packages/"]');
    assert.ok((await wheels.count()) >= 300, 'wheel segments link to packages');
    const box = await page.locator('svg').first().boundingBox();
    assert.ok(box && box.width > 100 && box.height > 100, 'the wheel chart is drawn at a visible size');
    assert.ok((await page.locator('svg').count()) >= 3);
    await page.screenshot({ path: join(screenshots, 'overview.png'), fullPage: true });
  });

  test('search narrows the table', async () => {
    await page.goto(`${server.url}/packages?per_page=200`);
    const rows = page.locator('tbody tr:visible');
    const all = await rows.count();
    assert.ok(all > 50, `${all} rows`);
    const target = ecosystem.topList.rows[7]!.project;
    await page.fill('#f-q', target);
    await page.waitForFunction(`document.querySelectorAll('tbody tr:not([hidden])').length < ${all}`);
    const shown = await rows.count();
    assert.ok(shown >= 1 && shown < all, `${shown} of ${all} rows after typing`);
    assert.ok(await page.locator(`tbody tr:visible a[href="/packages/${target}"]`).count());
    await page.screenshot({ path: join(screenshots, 'packages-search.png') });
    // Submitting asks the server, which searches every page, not only the one shown.
    await Promise.all([page.waitForURL(/q=/), page.locator('form[data-filter-form] button[type="submit"]').click()]);
    assert.ok(await page.locator(`tbody a[href="/packages/${target}"]`).count());
  });

  test('a package page shows its matrix', async () => {
    const ready = ecosystem.projects.find((p) => p.files.some((f) => f.filename.includes('cp314t')))!;
    const name = ready.name.replace(/[-_.]+/g, '-').toLowerCase();
    await page.goto(`${server.url}/packages/${name}`);
    const matrix = page.locator('table', { hasText: 'linux-x86_64' }).first();
    await matrix.waitFor();
    for (const platform of DEFAULT_PLATFORMS) assert.ok(await matrix.locator(`th:has-text("${platform}")`).count(), platform);
    assert.ok(await matrix.locator('text=ready').count());
    await page.screenshot({ path: join(screenshots, 'package.png'), fullPage: true });
  });

  test('the guide: from a package\'s status to its explanation, and a search', async () => {
    await page.goto(`${server.url}/guide`);
    assert.ok(await page.locator('h1', { hasText: 'The free-threading guide' }).count());
    const ready = ecosystem.projects.find((p) => p.files.some((f) => f.filename.includes('cp314t')))!;
    await page.goto(`${server.url}/packages/${ready.name.replace(/[-_.]+/g, '-').toLowerCase()}`);
    const status = page.locator('a.status-name').first();
    const label = (await status.textContent())!.trim();
    await Promise.all([page.waitForURL(/\/guide\/status-vocabulary#status-/), status.click()]);
    const anchor = new URL(page.url()).hash.slice(1);
    const target = page.locator(`[id="${anchor}"]`);
    assert.equal(await target.count(), 1, `the page has #${anchor}`);
    assert.ok(await page.locator('tr', { has: target }).filter({ hasText: anchor.replace(/^status-/, '') }).count(), `the row explains ${label}`);
    await page.screenshot({ path: join(screenshots, 'guide-status.png') });
    await page.fill('#guide-q', 'PyDict_GetItem');
    await Promise.all([page.waitForURL(/\/guide\/search\?q=PyDict_GetItem/), page.locator('form.guide-search button').first().click()]);
    const first = page.locator('ol.search-results li a').first();
    assert.match((await first.textContent()) ?? '', /PyDict_GetItem/);
    await Promise.all([page.waitForURL(/\/guide\/porting-c#/), first.click()]);
    await page.screenshot({ path: join(screenshots, 'guide-search-result.png') });
  });

  test('uploading a lockfile on the check page shows a blocker', async () => {
    const lock = [
      'version = 1',
      'requires-python = ">=3.13"',
      '',
      '[[package]]',
      'name = "app"',
      'version = "0.1"',
      'source = { virtual = "." }',
      'dependencies = [{ name = "stuckpkg" }]',
      '',
      '[[package]]',
      'name = "stuckpkg"',
      'version = "2.0"',
      'source = { registry = "https://pypi.org/simple" }',
      'wheels = [{ url = "https://files.example/stuckpkg-2.0-cp39-abi3-manylinux_2_17_x86_64.whl", hash = "sha256:00" }]',
      '',
    ].join('\n');
    await page.goto(`${server.url}/check`);
    await page.setInputFiles('input[type="file"]', { name: 'uv.lock', mimeType: 'text/plain', buffer: Buffer.from(lock) });
    await Promise.all([page.waitForURL(/\/check$/), page.click('button[type="submit"]')]);
    const blocker = page.locator('text=stuckpkg').first();
    await blocker.waitFor();
    assert.ok(await page.locator('text=/blocked/i').count(), 'the blocker is labelled');
    assert.ok(await page.locator('text=app → stuckpkg').count(), 'with the path from the project');
    await page.screenshot({ path: join(screenshots, 'check.png'), fullPage: true });
  });
});
