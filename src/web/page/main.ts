/// <reference lib="dom" />
/**
 * Entry of the exported page (`pixelrl export`): reads `run.json` next to the page, starts a tfjs
 * backend, loads the networks with tf.loadLayersModel and hands them to the {@link Player}.
 * Address parameters: `?seed=3&speed=max&backend=cpu&mode=you` set the first reset.
 * `window.pixelrl.snapshot()` tells what was played (used by the browser tests).
 */
import { checkWebRun } from '../web-run.js';
import { askedBackend, chooseBackend } from './backend.js';
import { PageAgent } from './page-agent.js';
import { Player, type PlayerSnapshot } from './player.js';
import { SPEEDS, type Speed } from './player-view.js';

declare global {
  interface Window {
    pixelrl?: { snapshot(): PlayerSnapshot | null; error: string | null; player: Player | null };
  }
}

async function main(): Promise<void> {
  const hook: NonNullable<Window['pixelrl']> = { snapshot: () => null, error: null, player: null };
  window.pixelrl = hook;
  const root = document.getElementById('player') as HTMLElement;
  const params = new URLSearchParams(location.search);
  try {
    const res = await fetch('run.json');
    if (!res.ok) throw new Error(`run.json: HTTP ${res.status}`);
    const run = checkWebRun(await res.json());
    const backend = await chooseBackend(askedBackend(params), new URL('./', location.href).href);
    const player = new Player(root, backend.name);
    hook.player = player;
    hook.snapshot = () => player.snapshot();
    const speed = params.get('speed');
    if (speed && (SPEEDS as readonly string[]).includes(speed)) player.setSpeed(speed as Speed);
    if (params.get('mode') === 'you') player.setMode('you');
    player.load(run, await PageAgent.load(run, './'), Number(params.get('seed') ?? 0) || 0);
    if (backend.skipped.length > 0)
      player.el.status.textContent = `(not used: ${backend.skipped.join('; ')})`;
  } catch (err) {
    hook.error = err instanceof Error ? err.message : String(err);
    root.textContent = `pixelrl could not start the agent: ${hook.error}`;
  }
}

void main();
