// The command line of the campaigns (`npm run fuzz`, `npm run faults`) and their one main: options
// are `--name value` or `--name=value`, each named in the campaign's list; counts are whole numbers
// >= 0 and lists are comma-separated names from a known set. A bad command line is one line that
// names the option, then the usage, and exit 2 (a usage error, told apart from findings' exit 1).

/** A command line the campaign cannot run: its message is one line naming the option. */
export class CampaignArgsError extends Error {}

export class CampaignArgs {
  private constructor(private readonly flags: ReadonlyMap<string, string>) {}

  /** Reads `argv` (without node and the script); any option not in `known` is an error. */
  static parse(argv: readonly string[], known: readonly string[]): CampaignArgs {
    const flags = new Map<string, string>();
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (!a.startsWith('--')) throw new CampaignArgsError(`unexpected argument ${a}`);
      const eq = a.indexOf('=');
      const [k, v] = eq >= 0 ? [a.slice(2, eq), a.slice(eq + 1)] : [a.slice(2), argv[++i]];
      if (!known.includes(k)) throw new CampaignArgsError(`unknown option --${k}`);
      if (v === undefined) throw new CampaignArgsError(`--${k} needs a value`);
      flags.set(k, v);
    }
    return new CampaignArgs(flags);
  }

  /** A whole number >= 0, or `fallback` when the option is not given. */
  count(name: string, fallback: number): number {
    const text = this.flags.get(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < 0) throw new CampaignArgsError(`--${name} must be a whole number >= 0 (got ${JSON.stringify(text)})`);
    return n;
  }

  /** Comma-separated names, each one of `allowed` (`what` names one in the message); undefined when not given. */
  list<T extends string>(name: string, allowed: readonly T[], what: string): T[] | undefined {
    const items = this.flags.get(name)?.split(',');
    for (const item of items ?? []) if (!(allowed as readonly string[]).includes(item)) throw new CampaignArgsError(`--${name}: unknown ${what} ${JSON.stringify(item)} (one of ${allowed.join(', ')})`);
    return items as T[] | undefined;
  }
}

export interface CampaignCli<A> {
  /** Prefix of a usage error's line ("fuzz", "faults"). */
  tool: string;
  usage: string;
  options: readonly string[];
  /** The campaign's settings from the parsed options (CampaignArgsError for a bad value). */
  settings(args: CampaignArgs): A;
}

/**
 * Parses the command line and runs the campaign; the process exits with what `run` returns (0:
 * no findings, 1: findings), 2 on a usage error, 1 with the stack on a bug of the campaign itself.
 * Exits at once: a child process of a case left behind must not keep a finished campaign open.
 */
export function campaignMain<A>(cli: CampaignCli<A>, run: (settings: A) => Promise<number>, argv: readonly string[] = process.argv.slice(2)): void {
  let settings: A;
  try {
    settings = cli.settings(CampaignArgs.parse(argv, cli.options));
  } catch (err) {
    if (!(err instanceof CampaignArgsError)) throw err;
    console.error(`${cli.tool}: ${err.message}\n${cli.usage}`);
    process.exit(2);
  }
  run(settings).then((code) => process.exit(code), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
