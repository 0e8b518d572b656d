// ESLint rules against import cycles. `local/no-import-cycle`: an import of one of our own modules (a relative path)
// that leads back, through the files on disk, to the file that makes it. A cycle ties its
// modules into one (none can be read, tested or moved alone) and makes load order matter.
// The fix is the direction the layers already point: what two modules both need moves into
// a third that both import (for the host: a helper at src/host's root).
//
// The linted file's imports come from its syntax tree (it may be unsaved); the files it
// reaches are read from disk with TypeScript's import scanner, cached by modification time
// for the length of a lint run. Type-only imports count too: a type cycle is still a tangle.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SOURCE = /\.(ts|tsx)$/;
const CANDIDATES = ['.ts', '.tsx', '/index.ts', '/index.tsx', ''];

const isFile = (file) => {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The TypeScript file a relative specifier names, as the bundler resolves it; undefined for packages and other files. */
function resolve(fromFile, specifier) {
  if (typeof specifier !== 'string' || !specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const suffix of CANDIDATES) {
    const file = base + suffix;
    if (SOURCE.test(file) && isFile(file)) return file;
  }
  return undefined;
}

const scanned = new Map();

/**
 * The modules a file on disk imports (static, type-only, re-exports, dynamic import()).
 * `fresh` holds the files whose cached scan was checked against the disk for this linted file.
 */
function importsOf(file, fresh) {
  const hit = scanned.get(file);
  if (hit && fresh.has(file)) return hit.imports;
  fresh.add(file);
  const mtimeMs = fs.statSync(file).mtimeMs;
  if (hit && hit.mtimeMs === mtimeMs) return hit.imports;
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  const imports = [...new Set(info.importedFiles.map((f) => resolve(file, f.fileName)).filter(Boolean))];
  scanned.set(file, { mtimeMs, imports });
  return imports;
}

/** A path of imports from `start` to `goal` (both included), depth first; undefined when there is none. */
function pathBetween(start, goal, fresh) {
  const seen = new Set();
  const trail = [];
  const visit = (file) => {
    if (file === goal) return true;
    if (seen.has(file)) return false;
    seen.add(file);
    trail.push(file);
    for (const next of importsOf(file, fresh)) if (visit(next)) return true;
    trail.pop();
    return false;
  };
  return visit(start) ? [...trail, goal] : undefined;
}

const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow an import that leads back to the importing module.' },
    schema: [],
    messages: {
      cycle: 'Import cycle: {{cycle}}. Move what both sides need into a module both import (in the host: a helper at src/host\'s root; another feature only through its index.ts).',
    },
  },
  create(context) {
    const file = path.resolve(context.filename);
    const root = context.cwd ?? process.cwd();
    const fresh = new Set();
    const check = (node) => {
      const target = resolve(file, node.source?.value);
      if (!target) return;
      const back = pathBetween(target, file, fresh);
      if (!back) return;
      const cycle = [file, ...back].map((f) => path.relative(root, f).split(path.sep).join('/')).join(' → ');
      context.report({ node: node.source, messageId: 'cycle', data: { cycle } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

/** The feature a file belongs to: the first folder under `rootDir`, '(root)' for a file directly in it. */
function featureOf(rootDir, file) {
  const rel = path.relative(rootDir, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : '(root)';
}

/** Feature -> features it imports, with one file that does it, from every source file under `rootDir` except `skip`. */
function featureEdges(rootDir, skip, fresh) {
  const edges = new Map();
  const files = fs.readdirSync(rootDir, { recursive: true }).map((f) => path.join(rootDir, String(f))).filter((f) => SOURCE.test(f));
  for (const file of files) {
    if (file === skip) continue;
    const from = featureOf(rootDir, file);
    for (const target of importsOf(file, fresh)) {
      const to = featureOf(rootDir, target);
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, file);
    }
  }
  return edges;
}

// `local/no-feature-cycle` ({ root: 'src/host' }): the same for the feature folders under a
// root taken as wholes, so that training -> runs -> training is refused even when the
// modules involved do not form a cycle themselves: a feature that needs another's work and
// is needed by it cannot be understood, or removed, alone.
const noFeatureCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow an import between feature folders that leads back to the importing feature.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, required: ['root'], additionalProperties: false }],
    messages: {
      cycle: 'Feature cycle: {{cycle}} ({{via}}). Move what both features need to the root of {{root}}.',
    },
  },
  create(context) {
    const cwd = context.cwd ?? process.cwd();
    const rootDir = path.resolve(cwd, context.options[0].root);
    const file = path.resolve(context.filename);
    const own = featureOf(rootDir, file);
    if (!own) return {};
    const fresh = new Set();
    let edges;
    const check = (node) => {
      const target = resolve(file, node.source?.value);
      const to = target && featureOf(rootDir, target);
      if (!to || to === own) return;
      edges ??= featureEdges(rootDir, file, fresh);
      // Breadth first from the imported feature back to this one: the shortest way round.
      const previous = new Map([[to, undefined]]);
      const queue = [to];
      while (queue.length && !previous.has(own)) {
        const at = queue.shift();
        for (const next of edges.get(at)?.keys() ?? []) {
          if (!previous.has(next)) { previous.set(next, at); queue.push(next); }
        }
      }
      if (!previous.has(own)) return;
      const chain = [own];
      for (let at = own; at !== to; at = previous.get(at)) chain.unshift(previous.get(at));
      chain.unshift(own);
      const via = chain.slice(1, -1).map((f, i) => path.relative(cwd, edges.get(f).get(chain[i + 2])).split(path.sep).join('/'));
      context.report({ node: node.source, messageId: 'cycle', data: { cycle: chain.join(' → '), via: via.join(', '), root: context.options[0].root } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'no-import-cycle': noImportCycle, 'no-feature-cycle': noFeatureCycle } };
