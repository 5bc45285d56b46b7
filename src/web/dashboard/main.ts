/// <reference lib="dom" />
/**
 * Entry of the dashboard page (`pixelrl dashboard`, `pixelrl train --dashboard`): subscribes to
 * the server's `/events` (Server-Sent Events), keeps the runs' records (run-state.ts) and redraws
 * the run table and charts at most twice a second: episode returns (raw, smoothed as `pixelrl
 * plot` smooths them, evaluations with ±1 std; one chart per game), loss, mean Q, ε and steps
 * per second, one colour per run. Below, the first run's latest checkpoint plays an evaluation
 * episode in the same player as the exported page; it reloads when a newer checkpoint appears.
 *
 * `window.pixelrlDashboard` exposes the state to the browser tests.
 */
import { defaultWindow, rollingMean } from '../../viz/curves.js';
import { escapeHtml } from '../html.js';
import { chooseBackend } from '../page/backend.js';
import { PageAgent } from '../page/page-agent.js';
import { Player } from '../page/player.js';
import type { DashboardEvent } from '../server/events.js';
import { checkWebRun } from '../web-run.js';
import { type ChartSeries, drawChart } from './line-chart.js';
import {
  DashboardState,
  etaSeconds,
  formatDuration,
  latestStep,
  type RunView,
  totalSteps,
} from './run-state.js';

declare global {
  interface Window {
    pixelrlDashboard?: { state: DashboardState; connected: boolean; playerStep: number | null };
  }
}

const COLOURS = ['#58a6ff', '#3fb950', '#d29922', '#f778ba', '#a371f7', '#ff7b72'];
const REDRAW_MS = 500;

interface ChartSpec {
  title: string;
  series(run: RunView, colour: string): ChartSeries[];
}

/** Episode returns, raw and smoothed as `pixelrl plot` smooths them, with evaluations ± 1 std. */
function returnSeries(run: RunView, colour: string): ChartSeries[] {
  const xs = run.episodes.map((e) => e.step);
  const ys = run.episodes.map((e) => e.return);
  return [
    { colour, xs, ys, style: 'faint' },
    { colour, xs, ys: rollingMean(ys, defaultWindow(ys.length)), style: 'line' },
    {
      colour,
      xs: run.evals.map((e) => e.step),
      ys: run.evals.map((e) => e.meanReturn),
      err: run.evals.map((e) => e.stdReturn),
      style: 'points',
    },
  ];
}

const TRAIN_CHARTS: ChartSpec[] = [
  { title: 'Loss', series: (run, colour) => [trainSeries(run, colour, (t) => t.loss)] },
  { title: 'Mean Q', series: (run, colour) => [trainSeries(run, colour, (t) => t.meanQ)] },
  { title: 'ε', series: (run, colour) => [trainSeries(run, colour, (t) => t.epsilon)] },
  { title: 'Steps per second', series: (run, colour) => [trainSeries(run, colour, (t) => t.sps)] },
];

function trainSeries(
  run: RunView,
  colour: string,
  pick: (t: RunView['train'][number]) => number | undefined,
): ChartSeries {
  const rows = run.train.filter((t) => typeof pick(t) === 'number');
  return { colour, xs: rows.map((t) => t.step), ys: rows.map((t) => pick(t) as number), style: 'line' };
}

const state = new DashboardState();
const hook: NonNullable<Window['pixelrlDashboard']> = { state, connected: false, playerStep: null };
window.pixelrlDashboard = hook;
const grid = document.getElementById('db-charts') as HTMLElement;
/** A chart card titled `title`, placed before `before` (or last). */
function chartCard(title: string, before: Element | null = null): HTMLCanvasElement {
  const card = document.createElement('div');
  card.className = 'db-card';
  const h = document.createElement('h3');
  h.textContent = title;
  const canvas = document.createElement('canvas');
  canvas.className = 'db-chart';
  card.append(h, canvas);
  grid.insertBefore(card, before);
  return canvas;
}
const trainCharts = TRAIN_CHARTS.map((spec) => ({ spec, canvas: chartCard(spec.title) }));
/** One return chart per env (returns of different games do not share a scale), before the others. */
const returnCharts = new Map<string, HTMLCanvasElement>();

function redraw(): void {
  const table = document.getElementById('db-runs') as HTMLTableElement;
  const rows = state.runs.map((run, i) => {
    const total = totalSteps(run);
    const step = latestStep(run);
    const eta = etaSeconds(run);
    const lastEval = run.evals[run.evals.length - 1];
    const frac = total ? Math.min(1, step / total) : 0;
    return (
      `<tr><td><span class="db-swatch" style="background:${COLOURS[i % COLOURS.length]}"></span>${escapeHtml(run.info.name)}</td>` +
      `<td>${escapeHtml(String(run.info.config?.env ?? '…'))} · ${escapeHtml(String(run.info.config?.algo ?? ''))}</td>` +
      `<td class="db-step">step ${step}${total ? ` / ${total}` : ''}</td>` +
      `<td><span class="db-bar"><span style="width:${(frac * 100).toFixed(1)}%"></span></span></td>` +
      `<td>${eta === null ? (total && step >= total ? 'done' : '') : `ETA ${formatDuration(eta)}`}</td>` +
      `<td>${run.episodes.length} episodes</td>` +
      `<td>${lastEval ? `eval ${lastEval.meanReturn.toFixed(1)} ± ${lastEval.stdReturn.toFixed(1)}` : ''}</td>` +
      `<td class="pr-error">${escapeHtml(run.problem ?? '')}</td></tr>`
    );
  });
  table.innerHTML = `<tr><th>run</th><th>env</th><th>progress</th><th></th><th></th><th></th><th>last evaluation</th><th></th></tr>${rows.join('')}`;
  const colourOf = (run: RunView) => COLOURS[state.runs.indexOf(run) % COLOURS.length];
  // Runs that have not written config.json yet have no env, and no chart yet.
  for (const env of new Set(state.runs.flatMap((r) => (r.info.config ? [String(r.info.config.env)] : [])))) {
    let canvas = returnCharts.get(env);
    if (!canvas) {
      canvas = chartCard(
        `${env}: episode return (raw, smoothed; dots: evaluations ± 1 std)`,
        trainCharts[0].canvas.parentElement,
      );
      returnCharts.set(env, canvas);
    }
    const runs = state.runs.filter((r) => r.info.config?.env === env);
    drawChart(
      canvas,
      runs.flatMap((run) => returnSeries(run, colourOf(run))),
      'agent steps',
    );
  }
  for (const { spec, canvas } of trainCharts) {
    drawChart(
      canvas,
      state.runs.flatMap((run, i) => spec.series(run, COLOURS[i % COLOURS.length])),
      'agent steps',
    );
  }
}

let redrawPending = false;
function scheduleRedraw(): void {
  if (redrawPending) return;
  redrawPending = true;
  setTimeout(() => {
    redrawPending = false;
    redraw();
  }, REDRAW_MS);
}

let player: Player | null = null;
let loading = false;
/** Plays the latest checkpoint of the first run that has one; reloads when it changes. */
async function updatePlayer(): Promise<void> {
  const id = state.runs.findIndex((r) => r.info.checkpointStep !== null);
  if (id < 0 || loading) return;
  const step = state.runs[id].info.checkpointStep;
  if (step === hook.playerStep) return;
  loading = true;
  try {
    const base = `/runs/${id}/`;
    const res = await fetch(`${base}run.json`);
    if (!res.ok) throw new Error(`${base}run.json: HTTP ${res.status}`);
    const run = checkWebRun(await res.json());
    if (!player) {
      const backend = await chooseBackend(null, new URL('/', location.href).href);
      player = new Player(document.getElementById('player') as HTMLElement, backend.name);
    }
    player.load(run, await PageAgent.load(run, base), 0);
    hook.playerStep = run.step;
    (document.getElementById('db-player-run') as HTMLElement).textContent = `· ${run.label}`;
  } catch (err) {
    (document.getElementById('player') as HTMLElement).textContent =
      `the agent could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    loading = false;
  }
  if (state.runs[id].info.checkpointStep !== hook.playerStep) void updatePlayer();
}

const live = document.getElementById('db-live') as HTMLElement;
const source = new EventSource('/events');
source.onopen = () => {
  hook.connected = true;
  live.textContent = '● live';
};
source.onerror = () => {
  hook.connected = false;
  live.textContent = '○ disconnected (retrying)';
};
for (const kind of ['runs', 'records', 'checkpoint', 'problem'] as const) {
  source.addEventListener(kind, (msg) => {
    state.apply(JSON.parse((msg as MessageEvent<string>).data) as DashboardEvent);
    scheduleRedraw();
    if (kind === 'checkpoint' || kind === 'runs') void updatePlayer();
  });
}
