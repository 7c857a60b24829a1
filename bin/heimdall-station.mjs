#!/usr/bin/env node
// Runs the CLI from the TypeScript sources through tsx, so a checkout needs no build step for the
// station itself (only the browser UI is built, by `npm run build`).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../main/cli.ts');
await runCli(process.argv);
