/**
 * The dashboard's Server-Sent Events, as a discriminated union shared by the server and the
 * page: the SSE event name is the `kind`, the data the whole object as JSON.
 */
import type { MetricRecord } from '../../checkpoint/metric-records.js';
import type { RunConfig } from '../../viz/metrics.js';

export interface RunInfo {
  id: number;
  /** The run folder's name. */
  name: string;
  dir: string;
  /** config.json, or null while the run has not written it yet. */
  config: RunConfig | null;
  checkpointStep: number | null;
}

export type DashboardEvent =
  | { kind: 'runs'; runs: RunInfo[] }
  /**
   * Records of run `run` from index `at` of its list on; `restarted`: drop what came before (a
   * first snapshot, or a new file). A page that already holds some of them skips those.
   */
  | { kind: 'records'; run: number; restarted: boolean; at: number; records: MetricRecord[] }
  | { kind: 'checkpoint'; run: number; step: number }
  | { kind: 'problem'; run: number; message: string };
