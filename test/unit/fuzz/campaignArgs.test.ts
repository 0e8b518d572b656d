// The campaigns' command line (test/fuzz/campaignArgs.ts, used by `npm run fuzz` and `npm run
// faults`): both option forms, defaults, and each bad command line told in one line naming the option.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CampaignArgs, CampaignArgsError } from '../../fuzz/campaignArgs';

const OPTIONS = ['runs', 'seed', 'layers'];
const LAYERS = ['validate', 'cli', 'train'] as const;

/** The message of the usage error `argv` gives (parsing, then reading runs, seed and layers). */
function usageError(argv: string[]): string {
  try {
    const a = CampaignArgs.parse(argv, OPTIONS);
    a.count('runs', 1);
    a.count('seed', 1);
    a.list('layers', LAYERS, 'layer');
  } catch (err) {
    assert.ok(err instanceof CampaignArgsError, `a usage error, not ${String(err)}`);
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    return err.message;
  }
  assert.fail(`${argv.join(' ')} was taken`);
}

describe('campaign command line', () => {
  it('reads --name value and --name=value (a value may hold "="), with defaults for what is not given', () => {
    const a = CampaignArgs.parse(['--runs', '150', '--seed=1101', '--layers=cli,train'], OPTIONS);
    assert.equal(a.count('runs', 300), 150);
    assert.equal(a.count('seed', 7), 1101);
    assert.deepEqual(a.list('layers', LAYERS, 'layer'), ['cli', 'train']);
    const none = CampaignArgs.parse([], OPTIONS);
    assert.equal(none.count('runs', 300), 300);
    assert.equal(none.list('layers', LAYERS, 'layer'), undefined);
    assert.deepEqual(CampaignArgs.parse(['--layers=a=b'], OPTIONS).list('layers', ['a=b'], 'layer'), ['a=b']);
  });

  it('a bad command line is one line that names the option and the value', () => {
    assert.equal(usageError(['150']), 'unexpected argument 150');
    assert.equal(usageError(['--rusn', '150']), 'unknown option --rusn');
    assert.equal(usageError(['--runs']), '--runs needs a value');
    assert.equal(usageError(['--runs', '-3']), '--runs must be a whole number >= 0 (got "-3")');
    assert.equal(usageError(['--seed=1.5']), '--seed must be a whole number >= 0 (got "1.5")');
    assert.equal(usageError(['--runs=']), '--runs must be a whole number >= 0 (got "")');
    assert.equal(usageError(['--runs', 'ten']), '--runs must be a whole number >= 0 (got "ten")');
    assert.equal(usageError(['--layers', 'cli,trian']), '--layers: unknown layer "trian" (one of validate, cli, train)');
  });
});
