import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { directWalkEnabled, walkSignature, walkSubtree, withPublicWalk } from '../../src/scan/cursor-walk.js';
import { parse } from '../../src/scan/parsers.js';
import { corpusDir, needsCorpus } from '../helpers/paths.js';

// The fast walk (cursor-walk.ts) leans on web-tree-sitter's internals. With
// the pinned version it must be on, and it must read every node exactly as
// the public TreeCursor does.

const SOURCE = `#include <Python.h>
static PyObject *cache;
static int f(PyObject *self, PyObject *args) {
    for (int i = 0; i < 3; i++) { if (i == 1) continue; cache = PyDict_GetItem(args, PyLong_FromLong(i)); }
    switch (PyTuple_GET_SIZE(args)) { case 0: return 0; default: break; }
    struct { int a; } s = { 1 };
    return s.a ? -1 : 0 /* a comment */;
}
`;

async function sameWalks(language: 'c' | 'cpp', text: string): Promise<void> {
  const tree = await parse(language, text);
  try {
    const fast = walkSignature(walkSubtree(tree.rootNode));
    const slow = withPublicWalk(() => walkSignature(walkSubtree(tree.rootNode)));
    assert.ok(fast.length > 100);
    assert.equal(fast, slow);
  } finally {
    tree.delete();
  }
}

test('the fast walk is on with the pinned web-tree-sitter, and agrees with the public cursor', async () => {
  await sameWalks('c', SOURCE);
  assert.equal(directWalkEnabled(), true);
  await sameWalks('cpp', `namespace n { struct S { int f() const { return [](int x) { return x; }(1); } }; }\n${SOURCE}`);
});

test('on a real extension module too (shared corpus)', { skip: needsCorpus }, async () => {
  await sameWalks('c', readFileSync(join(corpusDir, 'sources', 'netifaces', 'netifaces.c'), 'utf8'));
});
