#!/usr/bin/env node
/** The `pixelrl` command: parses arguments and hands them to the library. */
import * as tf from '@tensorflow/tfjs';
import { runCli } from './program.js';

// tfjs' cpu backend prints a "Hi, looks like you are running TensorFlow.js in Node.js" banner on
// first use, suggesting tfjs-node; pixelrl chooses and reports its backend itself (`pixelrl info`),
// so the command runs tfjs in production mode, which keeps tfjs' console warnings off.
tf.enableProdMode();

process.exitCode = await runCli(process.argv);
