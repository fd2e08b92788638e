/** The command line of `pnpm bench:vs-victorialogs`. */
export interface BenchArgs {
  records: number;
  rounds: number;
  /** Run the cluster rows (default; `--no-cluster` leaves them out, reported as not measured). */
  cluster: boolean;
  /** How long the cluster may take to start before its rows are marked FAILED. */
  clusterTimeoutMs: number;
  /** `--profile <dir>`: the single node runs under `--cpu-prof` writing there. */
  profileDir: string | undefined;
}

export const USAGE =
  'pnpm bench:vs-victorialogs [--records N] [--rounds R] [--cluster | --no-cluster] [--cluster-timeout S] [--profile DIR]';

function numberArg(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} wants a positive number\nusage: ${USAGE}`);
  return value;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const known = new Set(['--records', '--rounds', '--cluster-timeout', '--profile']);
  const flags = new Set(['--cluster', '--no-cluster']);
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (known.has(word)) i++;
    else if (!flags.has(word)) throw new Error(`unknown argument ${word}\nusage: ${USAGE}`);
  }
  const profileAt = argv.indexOf('--profile');
  const profileDir = profileAt < 0 ? undefined : argv[profileAt + 1];
  if (profileAt >= 0 && (profileDir === undefined || profileDir.startsWith('--')))
    throw new Error(`--profile wants a directory\nusage: ${USAGE}`);
  return {
    records: numberArg(argv, 'records', 1_000_000),
    rounds: numberArg(argv, 'rounds', 5),
    cluster: !argv.includes('--no-cluster'),
    // Generous: on the shared box the first start may also install NATS, Postgres or MinIO.
    clusterTimeoutMs: numberArg(argv, 'cluster-timeout', 300) * 1000,
    profileDir,
  };
}
