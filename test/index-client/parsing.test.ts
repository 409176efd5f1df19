import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCoreMetadata } from '../../src/index-client/core-metadata.js';
import { redactUrl } from '../../src/index-client/errors.js';
import { parseNetrc } from '../../src/index-client/netrc.js';
import { MalformedPageError, parseJsonPage } from '../../src/index-client/project-page.js';
import { parseHtmlPage } from '../../src/index-client/simple-html.js';

const PAGE = 'https://index.example.invalid/simple/demo/';

describe('PEP 691 JSON pages', () => {
  test('files with hashes, requires-python, yanked, metadata, size and upload time', () => {
    const page = parseJsonPage(JSON.stringify({
      meta: { 'api-version': '1.1', '_last-serial': 42 },
      name: 'demo',
      versions: ['1.0', '2.0'],
      files: [
        { filename: 'demo-1.0.tar.gz', url: '../../files/demo-1.0.tar.gz', hashes: { sha256: 'AA' }, 'requires-python': '>=3.9', yanked: false, 'core-metadata': false, size: 10, 'upload-time': '2024-01-01T00:00:00Z' },
        { filename: 'demo-2.0-py3-none-any.whl', url: 'https://files.example.invalid/demo-2.0-py3-none-any.whl', hashes: {}, yanked: 'broken', 'core-metadata': { sha256: 'bb' } },
        { filename: 'demo-2.0-cp314-cp314t-win_amd64.whl', url: 'x.whl', yanked: true, 'dist-info-metadata': true },
      ],
    }), PAGE, null);
    assert.equal(page.lastSerial, 42);
    assert.deepEqual(page.versions, ['1.0', '2.0']);
    const [sdist, wheel, yanked] = page.files;
    assert.equal(sdist!.url, 'https://index.example.invalid/files/demo-1.0.tar.gz');
    assert.deepEqual(sdist!.hashes, { sha256: 'aa' });
    assert.equal(sdist!.requiresPython, '>=3.9');
    assert.equal(sdist!.coreMetadata, false);
    assert.equal(wheel!.yanked, 'broken');
    assert.deepEqual(wheel!.coreMetadata, { sha256: 'bb' });
    assert.equal(yanked!.yanked, '');
    assert.deepEqual(yanked!.coreMetadata, {});
  });
  test('entries that are not files are skipped; broken pages are errors', () => {
    const page = parseJsonPage('{"meta":{"api-version":"1.0"},"files":[1,null,{"filename":"a/b.whl","url":"x"},{"filename":"ok-1.0.tar.gz","url":"javascript:alert(1)"},{"filename":"ok-1.0.zip","url":"ok.zip"}]}', PAGE, '7');
    assert.deepEqual(page.files.map((f) => f.filename), ['ok-1.0.zip']);
    assert.equal(page.lastSerial, 7);
    assert.throws(() => parseJsonPage('{"meta": {', PAGE, null), MalformedPageError);
    assert.throws(() => parseJsonPage('{"files": 3}', PAGE, null), /no "files" list/);
    assert.throws(() => parseJsonPage('{"meta":{"api-version":"2.0"},"files":[]}', PAGE, null), /unsupported simple API version 2\.0/);
  });
});

describe('PEP 503 HTML pages', () => {
  test('anchors, hash fragments, entities and data attributes', () => {
    const html = `<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.1"></head><body>
      <a href="../../files/demo-1.0.tar.gz#sha256=ABCD" data-requires-python="&gt;=3.9">demo-1.0.tar.gz</a>
      <A HREF="https://files.example.invalid/demo-2.0-py3-none-any.whl" data-yanked="bad &amp; broken" data-core-metadata="sha256=ef01">demo-2.0-py3-none-any.whl</A>
      <a href="x.whl" data-dist-info-metadata="true" data-yanked>demo-2.0-cp314-cp314t-win_amd64.whl</a>
      <a>no-href.tar.gz</a><a href="javascript:alert(1)">evil-1.0.tar.gz</a>
    </body></html>`;
    const page = parseHtmlPage(html, PAGE, '9');
    assert.deepEqual(page.files.map((f) => f.filename), ['demo-1.0.tar.gz', 'demo-2.0-py3-none-any.whl', 'demo-2.0-cp314-cp314t-win_amd64.whl']);
    const [a, b, c] = page.files;
    assert.equal(a!.url, 'https://index.example.invalid/files/demo-1.0.tar.gz');
    assert.deepEqual(a!.hashes, { sha256: 'abcd' });
    assert.equal(a!.requiresPython, '>=3.9');
    assert.equal(b!.yanked, 'bad & broken');
    assert.deepEqual(b!.coreMetadata, { sha256: 'ef01' });
    assert.equal(c!.yanked, '');
    assert.deepEqual(c!.coreMetadata, {});
    assert.equal(page.lastSerial, 9);
  });
  test('a <base> element moves relative links', () => {
    const page = parseHtmlPage('<base href="https://mirror.example.invalid/pkgs/"><a href="demo-1.0.tar.gz">demo-1.0.tar.gz</a>', PAGE, null);
    assert.equal(page.files[0]!.url, 'https://mirror.example.invalid/pkgs/demo-1.0.tar.gz');
  });
  test('text that is no HTML, and unsupported repository versions, are errors', () => {
    assert.throws(() => parseHtmlPage('just words, no markup', PAGE, null), /no markup/);
    assert.throws(() => parseHtmlPage('<meta name="pypi:repository-version" content="2.0">', PAGE, null), /unsupported repository version/);
    assert.deepEqual(parseHtmlPage('<html><body><div><a href="x"', PAGE, null).files, []);
  });
});

describe('core metadata', () => {
  test('repeated and folded headers; the body is ignored', () => {
    const m = parseCoreMetadata('Metadata-Version: 2.4\r\nName: Demo\nVersion: 1.0\nSummary: A\n  long summary\nRequires-Dist: a>=1\nRequires-Dist: b; extra == "x"\nProvides-Extra: x\nRequires-Python: >=3.9\nClassifier: Programming Language :: Python :: Free Threading :: 3 - Stable\nProject-URL: Source, https://example.invalid/src\n\nRequires-Dist: not-a-header\n');
    assert.equal(m.name, 'Demo');
    assert.equal(m.summary, 'A\nlong summary');
    assert.deepEqual(m.requiresDist, ['a>=1', 'b; extra == "x"']);
    assert.deepEqual(m.providesExtra, ['x']);
    assert.equal(m.requiresPython, '>=3.9');
    assert.deepEqual(m.classifiers, ['Programming Language :: Python :: Free Threading :: 3 - Stable']);
    assert.deepEqual(m.projectUrls, [{ label: 'Source', url: 'https://example.invalid/src' }]);
  });
});

describe('netrc and credentials', () => {
  test('machines, default, comments and macros', () => {
    const n = parseNetrc('# comment\nmachine Index.Example.invalid login alice password s3cret\nmacdef init\ncd /\n\ndefault login anon password guest\nmachine other login bob');
    assert.deepEqual(n.machines.get('index.example.invalid'), { login: 'alice', password: 's3cret' });
    assert.deepEqual(n.fallback, { login: 'anon', password: 'guest' });
    assert.deepEqual(n.machines.get('other'), { login: 'bob', password: '' });
  });
  test('URLs are shown without passwords', () => {
    assert.equal(redactUrl('https://alice:s3cret@index.example.invalid/simple/'), 'https://***@index.example.invalid/simple/');
    assert.equal(redactUrl('https://index.example.invalid/simple/'), 'https://index.example.invalid/simple/');
  });
});
