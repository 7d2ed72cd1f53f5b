import { errorMessage } from '../../src/core/errors.js';

/** Runs a bench's main and exits with its code; an error prints one line and exits 1. */
export function runBench(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench: ${errorMessage(err)}\n`);
      process.exit(1);
    },
  );
}
