import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { STUDY_FILES } from '../../../src/core/study/studyTypes';
import { writeStudyReport } from '../../../src/trainer/study/writeStudyReport';
import { studyFixture } from '../core/study/fixtures';
import { requirePython, runPython } from './python';
import { tempDir } from '../../tempFolders';

// Python's XML parser reads each chart (an error exits non-zero): title and texts per file.
const PARSE = `
import json, sys, xml.etree.ElementTree as ET
NS = '{http://www.w3.org/2000/svg}'
print(json.dumps({p: {'title': ET.parse(p).getroot().find(NS + 'title').text, 'texts': [t.text or '' for t in ET.parse(p).getroot().iter(NS + 'text')]} for p in sys.argv[1:]}))
`;

test('writeStudyReport writes study-report.md and every chart it links, as well-formed SVG', async (t) => {
  const dir = tempDir('study-report');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const result = studyFixture();
  // A label with XML and Markdown specials must reach the SVG escaped.
  result.variants[2]!.variant.label = 'PCGrad <a&b> | "x"';
  await writeStudyReport(dir, result);
  const markdown = await fs.readFile(path.join(dir, STUDY_FILES.report), 'utf8');
  const links = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => decodeURIComponent(m[1]!));
  assert.equal(links.length, 2);
  for (const l of links) await fs.access(path.join(dir, l));
  assert.deepEqual((await fs.readdir(dir)).filter((f) => f.includes('.tmp-')), []);
  const python = requirePython(t, 'xml.etree.ElementTree');
  if (!python) return;
  const parsed = JSON.parse(runPython(python, PARSE, links.map((l) => path.join(dir, l)))) as Record<string, { title: string; texts: string[] }>;
  const [delta, scatter] = links.map((l) => parsed[path.join(dir, l)]!);
  assert.equal(delta!.title, 'Δm against single-task models, with 95 % intervals');
  assert.ok(delta!.texts.some((x) => x.includes('PCGrad <a&b> | "x"')), delta!.texts.join(' / '));
  assert.equal(scatter!.title, 'digit accuracy vs parity accuracy');
  assert.ok(scatter!.texts.includes('PCGrad <a&b> | "x"'));
});
