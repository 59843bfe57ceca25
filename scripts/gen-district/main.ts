/**
 * Writes a synthetic school district as a OneRoster CSV package (manifest.csv plus one file per
 * OneRoster file that has rows), deterministic for a seed.
 * Usage: npm run gen:district -- --students N --out <dir> [--version 1.2|1.1] [--seed S] [--mode bulk|delta]
 */
import { parseArgs } from 'node:util';
import { isVersion } from '../../src/oneroster/csv/spec.js';
import { type GenerateOptions, generateDistrict } from './generate.js';

const USAGE = 'usage: npm run gen:district -- --students N --out <dir> [--version 1.2|1.1] [--seed S] [--mode bulk|delta]';

class UsageError extends Error {}

function options(argv: string[]): GenerateOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      students: { type: 'string' },
      out: { type: 'string' },
      version: { type: 'string', default: '1.2' },
      seed: { type: 'string', default: '1' },
      mode: { type: 'string', default: 'bulk' },
    },
  });
  const students = Number(values.students);
  if (!Number.isSafeInteger(students) || students < 1) throw new UsageError('--students must be a positive whole number');
  if (!values.out) throw new UsageError('--out is required');
  if (!isVersion(values.version)) throw new UsageError('--version must be 1.1 or 1.2');
  if (values.mode !== 'bulk' && values.mode !== 'delta') throw new UsageError('--mode must be bulk or delta');
  return { students, out: values.out, version: values.version, seed: values.seed, mode: values.mode };
}

async function main(): Promise<number> {
  let o: GenerateOptions;
  try {
    o = options(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw err;
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  try {
    const counts = await generateDistrict(o);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const written = counts.filter((c) => c.rows > 0).map((c) => `${c.name} ${c.rows}`);
    console.log(`${o.out}: OneRoster ${o.version} ${o.mode}, seed ${o.seed}: ${written.join(', ')} in ${seconds} s`);
    return 0;
  } catch (err) {
    console.error(`gen:district: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
