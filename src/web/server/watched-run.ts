/**
 * One run directory as the dashboard watches it: its config.json (once it exists), the records
 * of its metrics.jsonl as they are appended, and the step of its latest checkpoint, whose agent
 * the dashboard page plays (loaded on request through load-web-run.ts, kept in memory: the
 * dashboard writes nothing). Only reads.
 */
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { MetricRecord } from '../../checkpoint/metric-records.js';
import { upgradeRunConfig } from '../../train/legacy-config.js';
import { parseConfig, type RunConfig } from '../../viz/metrics.js';
import { type LoadedWebRun, loadWebRun } from '../load-web-run.js';
import { MetricsTail } from './metrics-tail.js';

/** What a poll found new. */
export interface RunChanges {
  config: RunConfig | null;
  restarted: boolean;
  records: MetricRecord[];
  /** The checkpoint's step, when it changed. */
  checkpointStep: number | null;
  /** A problem reading the run (shown on the page), or null. */
  problem: string | null;
}

export class WatchedRun {
  readonly name: string;
  config: RunConfig | null = null;
  readonly records: MetricRecord[] = [];
  checkpointStep: number | null = null;
  private readonly tail: MetricsTail;
  private agent: { step: number; loaded: Promise<LoadedWebRun> } | null = null;

  constructor(readonly dir: string) {
    this.name = basename(resolve(dir));
    this.tail = new MetricsTail(join(dir, 'metrics.jsonl'));
  }

  async poll(): Promise<RunChanges> {
    const changes: RunChanges = {
      config: null,
      restarted: false,
      records: [],
      checkpointStep: null,
      problem: null,
    };
    try {
      if (this.config === null) {
        const text = await readFile(join(this.dir, 'config.json'), 'utf8').catch(() => null);
        if (text !== null) {
          // In today's names (an older run's totalSteps is its `steps`, which the page's ETA reads).
          const config = parseConfig(text, join(this.dir, 'config.json'));
          this.config = changes.config = upgradeRunConfig(config as Record<string, unknown>) as RunConfig;
        }
      }
      const update = await this.tail.poll();
      if (update.restarted) this.records.length = 0;
      this.records.push(...update.records);
      changes.restarted = update.restarted;
      changes.records = update.records;
      const step = await this.readCheckpointStep();
      if (step !== null && step !== this.checkpointStep) this.checkpointStep = changes.checkpointStep = step;
    } catch (err) {
      changes.problem = `${this.name}: ${(err as Error).message.split('\n')[0]}`;
    }
    return changes;
  }

  /** The agent of the latest checkpoint, as the page loads it (cached per checkpoint step). */
  webRun(): Promise<LoadedWebRun> {
    const step = this.checkpointStep ?? -1;
    if (this.agent === null || this.agent.step !== step) {
      const loaded = loadWebRun(this.dir);
      loaded.catch(() => {
        // A checkpoint being replaced can fail to read; the next request tries again.
        if (this.agent?.loaded === loaded) this.agent = null;
      });
      this.agent = { step, loaded };
    }
    return this.agent.loaded;
  }

  private async readCheckpointStep(): Promise<number | null> {
    const text = await readFile(join(this.dir, 'checkpoint', 'manifest.json'), 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      const step = (JSON.parse(text) as { step?: unknown }).step;
      return typeof step === 'number' ? step : null;
    } catch {
      return null; // being rewritten; read it on the next poll
    }
  }
}
