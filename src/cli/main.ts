#!/usr/bin/env node
/** The `pixelrl` command: parses arguments and hands them to the library. */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv);
