// CLI of the benchmark suite: `node dist/bench/run.js <experiment> [--quick] [--json FILE]
// [--config NAME ...]`. Loads the experiment from the registry, runs it through the harness, prints
// the table (progress on stderr) and optionally writes the JSON report. Exit 2 on usage errors.
import { writeFileSync } from 'node:fs';
import { experimentNames, experiments } from './experiments.js';
import { formatReport, reportToJson, runExperiment } from './harness.js';

const USAGE = 'usage: node dist/bench/run.js <experiment> [--quick] [--json FILE] [--config NAME ...]';

interface Args {
  readonly experiment: string;
  readonly quick: boolean;
  readonly json?: string;
  readonly configs: readonly string[];
}

class UsageError extends Error {}

/** Parse argv; `--config` takes one or more names (`--config a b` or `--config a --config b`). */
function parseArgs(argv: readonly string[]): Args {
  let experiment: string | undefined;
  let quick = false;
  let json: string | undefined;
  const configs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--json') json = argv[++i] ?? fail('--json needs a FILE');
    else if (arg === '--config') {
      const start = configs.length;
      while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) configs.push(argv[++i]!);
      if (configs.length === start) fail('--config needs a NAME');
    } else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
    else if (experiment === undefined) experiment = arg;
    else fail(`unexpected argument ${arg}`);
  }
  if (experiment === undefined) fail('no experiment given');
  return { experiment, quick, json, configs };
}

function fail(message: string): never {
  throw new UsageError(message);
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const load = experiments[args.experiment];
  if (load === undefined) fail(`unknown experiment '${args.experiment}'; available: ${experimentNames.join(', ')}`);
  const experiment = await load();
  const known = experiment.configs.map((c) => c.name);
  const unknown = args.configs.filter((c) => !known.includes(c));
  if (unknown.length > 0) fail(`unknown config ${unknown.join(', ')}; ${experiment.name} has ${known.join(', ')}`);
  const log = (line: string): void => void process.stderr.write(`  ${line}\n`);
  const report = await runExperiment(experiment, { quick: args.quick, configs: args.configs, log });
  console.log(formatReport(report));
  if (args.json !== undefined) writeFileSync(args.json, `${JSON.stringify(reportToJson(report), null, 2)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => void (process.exitCode = code),
  (err: unknown) => {
    const usage = err instanceof UsageError;
    console.error(usage ? `bench: ${err.message}` : err);
    if (usage && !err.message.startsWith('unknown experiment')) console.error(USAGE);
    process.exitCode = usage ? 2 : 1;
  },
);
