#!/usr/bin/env node
// Entry point of the `gridlock` bin.
import { main } from './run.js';

// A reader that stops early (`gridlock … | head`) is no error of ours: stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
