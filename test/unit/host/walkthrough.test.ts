// The Getting Started walkthrough (package.json contributes.walkthroughs) as VS Code reads it:
// every step's picture is a file the VSIX ships, and every command link or completion event
// names a command the extension contributes and registers (or a view it contributes), so no
// step's button does nothing. Also the Marketplace words users search for.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT as root } from '../../repoRoot';

interface Step { id: string; title: string; description: string; media: { image?: string | Record<string, string>; svg?: string; markdown?: string; altText?: string }; completionEvents?: string[] }
interface Manifest {
  keywords?: string[];
  categories?: string[];
  contributes: {
    commands: Array<{ command: string }>;
    views: Record<string, Array<{ id: string }>>;
    walkthroughs?: Array<{ id: string; title: string; description: string; steps: Step[] }>;
  };
}
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const ignored = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

/** Every file under src/, read once: where commands are registered. */
function sources(dir = path.join(root, 'src')): string {
  return fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? sources(file) : e.name.endsWith('.ts') ? fs.readFileSync(file, 'utf8') : '';
  }).join('\n');
}
const src = sources();
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));

/** A command a link may name: one the extension contributes and registers, or the focus command VS Code makes for each contributed view. */
function commandProblem(id: string): string | undefined {
  if (id.endsWith('.focus') && views.has(id.slice(0, -'.focus'.length))) return undefined;
  if (!contributed.has(id)) return `${id} is not a contributed command`;
  if (!src.includes(`registerCommand('${id}'`)) return `${id} is never registered`;
  return undefined;
}

/** Whether a path (relative to the extension) would be packed into the VSIX by .vscodeignore's media rules. */
function shipped(file: string): boolean {
  let out = true;
  for (const rule of ignored) {
    const negate = rule.startsWith('!');
    const pattern = negate ? rule.slice(1) : rule;
    // Glob to regular expression: `**` any path, `*` any name part.
    const re = new RegExp(`^${pattern.split('**').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('.*')}$`);
    if (re.test(file)) out = negate;
  }
  return out;
}

describe('Getting Started walkthrough', () => {
  const walkthroughs = manifest.contributes.walkthroughs ?? [];

  it('exists, in the order a new user goes: open an example, see what is shared, choose the task weighting, train, read the results, compare sharing strategies', () => {
    assert.equal(walkthroughs.length, 1);
    assert.deepEqual(walkthroughs[0]!.steps.map((s) => s.id), ['openExample', 'seeShared', 'chooseWeighting', 'train', 'readResults', 'compareSharing']);
  });

  for (const step of walkthroughs.flatMap((w) => w.steps)) {
    it(`step ${step.id}: its picture is a shipped file with alt text, its links and completion events name real commands`, () => {
      assert.ok(step.title && step.description, 'a title and a description');
      const image = step.media.image;
      assert.ok(image, 'a picture');
      const files = typeof image === 'string' ? [image] : Object.values(image);
      assert.deepEqual(typeof image === 'string' ? [] : Object.keys(image).sort(), typeof image === 'string' ? [] : ['dark', 'hc', 'hcLight', 'light'], 'a picture for every kind of theme');
      for (const file of files) {
        assert.ok(fs.existsSync(path.join(root, file)), `${file} exists`);
        assert.ok(shipped(file), `${file} is packed into the VSIX`);
      }
      assert.ok(step.media.altText && step.media.altText.length > 20, 'alt text that says what the picture shows');
      const links = [...step.description.matchAll(/\]\(command:([\w.]+)(?:\?[^)]*)?\)/g)].map((m) => m[1]!);
      assert.ok(links.length > 0, 'a command link that does the step');
      for (const id of links) assert.equal(commandProblem(id), undefined);
      for (const event of step.completionEvents ?? []) {
        const [kind, id] = event.split(':') as [string, string];
        if (kind === 'onCommand') assert.equal(commandProblem(id), undefined);
        else if (kind === 'onView') assert.ok(views.has(id), `${id} is a contributed view`);
        else assert.fail(`unexpected completion event ${event}`);
      }
    });
  }

  it('(the packing check itself: README pictures and sources stay out of the VSIX, the activity icon goes in)', () => {
    assert.equal(shipped('media/screenshots/designer-light.png'), false);
    assert.equal(shipped('src/extension.ts'), false);
    assert.equal(shipped('media/icon.svg'), false);
    assert.equal(shipped('media/activity.svg'), true);
  });

  it('the Marketplace finds it by the words users search for', () => {
    const words = (manifest.keywords ?? []).map((k) => k.toLowerCase());
    for (const k of ['multi-task learning', 'neural network', 'tensorflow', 'designer']) assert.ok(words.includes(k), `keyword ${k}`);
    assert.ok(words.length <= 30, 'the Marketplace takes at most 30 keywords');
    assert.ok(manifest.categories?.includes('Machine Learning'));
  });
});
