/**
 * `pixelrl play <run | checkpoint>`: replays a saved agent, live in the terminal (24-bit colour,
 * two pixels per character cell, frame rate capped, score/lives/Q-values in a status line) or
 * into an animation file (.png APNG, .gif, or .mp4 through ffmpeg), upscaled with
 * nearest-neighbour and with a side panel of the action values.
 * `pixelrl play --env <id> --policy random|reference` shows a game without an agent.
 *
 * The agent (DQN, REINFORCE, A2C or PPO) plays the env it was trained on as `pixelrl eval` does
 * (whole games, random no-op starts, ε-greedy around its greedy action: the highest Q-value or
 * the most likely action), so what you watch is what eval scores. The panel shows Q(s, ·) for
 * DQN and π(· | s) for the policy-gradient agents.
 */
import { Command, Option } from 'commander';
import type { Env } from '../../../envs/core.js';
import { createRegistry } from '../../../envs/registry.js';
import type { BoxArray } from '../../../envs/spaces.js';
import { type BackendName, initBackend } from '../../backend/select.js';
import { Rng } from '../../util/rng.js';
import {
  type EpisodeSummary,
  findOnPath,
  formatFromPath,
  type PlaybackOptions,
  type Policy,
  playInTerminal,
  playToFile,
  randomPolicy,
  referencePolicy,
} from '../../viz/index.js';
import { AgentPolicy, type AgentRun, openAgentRun } from './agent-policy.js';
import { BACKEND_HELP, backendArg, intArg, rangeArg } from './cli-args.js';

interface PlayFlags {
  env?: string;
  policy?: 'random' | 'reference';
  render?: 'terminal';
  out?: string;
  episodes: number;
  epsilon: number;
  seed: number;
  maxSteps?: number;
  noopMax: number;
  fps?: number;
  scale?: number;
  panel?: 'values' | 'policy' | 'none';
  maxFrames: number;
  backend?: BackendName;
}

/** What is played: an env and a policy over its observations, and the frame rate of real time. */
interface Player {
  env: Env<BoxArray, number>;
  policy: Policy<BoxArray>;
  /** What the policy's decisions carry for the panel and status line: Q-values, probabilities, or nothing. */
  gives: 'values' | 'policy' | null;
  label: string;
  realTimeFps: number;
  /** Upscaling that makes the screen a comfortable size: Atari screens are 160x210. */
  defaultScale: number;
  dispose(): void;
}

/** Emulator frames per second of the bundled games (Atari's 60 Hz). */
const EMULATOR_HZ = 60;
/** Frame rate for classic-control envs, whose steps have no emulator clock. */
const CLASSIC_FPS = 30;

export function playCommand(): Command {
  const cmd = new Command('play')
    .description(
      'replay a saved agent (or a game with --env and --policy) in the terminal or into an animation file',
    )
    .argument(
      '[run]',
      'run name under checkpoints/, a run directory, its checkpoint/ folder, or a bundled agent',
    )
    .option('--env <id>', 'play this env without an agent (with --policy)')
    .addOption(
      new Option(
        '--policy <name>',
        'built-in policy for --env: random, or the game’s scripted reference',
      ).choices(['random', 'reference']),
    )
    .addOption(new Option('--render <where>', 'draw live in the terminal').choices(['terminal']))
    .option('--out <file>', 'write an animation: .png (animated PNG), .gif, or .mp4 (needs ffmpeg)')
    .option('--episodes <n>', 'episodes to play', intArg('--episodes', 1), 1)
    .option(
      '--epsilon <x>',
      'ε: probability of a random action (0.05 as in eval)',
      rangeArg('--epsilon', 0, 1),
      0.05,
    )
    .option('--seed <n>', 'seed of the env and of ε', intArg('--seed', 0), 0)
    .option('--max-steps <n>', 'cut each episode after this many agent steps', intArg('--max-steps', 1))
    .option(
      '--noop-max <n>',
      'up to this many no-ops at episode start (agents on pixel games)',
      intArg('--noop-max', 0),
      30,
    )
    .option('--fps <n>', 'frames per second (default: real time, 60 / frameskip)', rangeArg('--fps', 1, 240))
    .option(
      '--scale <n>',
      'upscaling of the animation, nearest-neighbour (default 3 for pixel games, 1 for others)',
      intArg('--scale', 1, 16),
    )
    .addOption(
      new Option(
        '--panel <kind>',
        'side panel of the animation (default: Q-values for DQN, probabilities for policy agents)',
      ).choices(['values', 'policy', 'none']),
    )
    .option('--max-frames <n>', 'frames written to the animation at most', intArg('--max-frames', 1), 10000)
    .option('--backend <name>', BACKEND_HELP, backendArg);

  cmd.action(async (run: string | undefined, flags: PlayFlags) => {
    const fail = (msg: string): never => cmd.error(`error: ${msg}`, { exitCode: 2 });
    if (run && (flags.env || flags.policy)) fail('give either a run or --env with --policy, not both');
    if (!run && !flags.env) {
      fail(
        'give a run to replay (e.g. pixelrl play checkpoints/bundled/catch-dqn), or --env <id> --policy random',
      );
    }
    if (flags.render && flags.out) fail('choose one of --render terminal and --out <file>');
    const toTerminal = flags.render === 'terminal' || (!flags.out && process.stdout.isTTY === true);
    if (!toTerminal && !flags.out)
      fail('say where to play: --render terminal, or --out episode.png|.gif|.mp4');
    if (flags.out) {
      let format: string;
      try {
        format = formatFromPath(flags.out);
      } catch (err) {
        return fail((err as Error).message);
      }
      if (format === 'mp4' && !findOnPath('ffmpeg')) {
        fail(
          `writing ${flags.out} as MP4 needs ffmpeg, which is not on the PATH: install it (apt install ffmpeg, ` +
            'brew install ffmpeg), or write an animated PNG (.png) or a GIF (.gif) instead',
        );
      }
    }

    let player: Player;
    if (run) {
      await initBackend({ backend: flags.backend });
      const loaded = await openAgentRun(run, flags.noopMax).catch((err: Error) => fail(err.message));
      player = agentPlayer(loaded, flags.seed);
    } else {
      try {
        player = builtinPlayer(flags.env as string, flags.policy, flags.seed);
      } catch (err) {
        return fail((err as Error).message);
      }
    }
    try {
      const panel = flags.panel ?? player.gives ?? 'none';
      if (panel !== 'none' && player.gives === null) {
        fail(`--panel ${panel}: the ${player.label} policy gives no action values; use --panel none`);
      }
      if (panel === 'policy' && player.gives === 'values') {
        fail('--panel policy: a DQN agent has action values, not action probabilities; use --panel values');
      }
      if (panel === 'values' && player.gives === 'policy') {
        fail(
          '--panel values: a policy-gradient agent has action probabilities, not action values; use --panel policy',
        );
      }
      const playback: PlaybackOptions = {
        episodes: flags.episodes,
        epsilon: flags.epsilon,
        rng: new Rng(flags.seed).spawn(),
        seed: flags.seed,
        maxSteps: flags.maxSteps,
      };
      const fps = flags.fps ?? player.realTimeFps;
      let episodes: EpisodeSummary[];
      if (toTerminal) {
        episodes = await playLive(player, playback, fps);
      } else {
        const result = await playToFile(player.env, player.policy, flags.out as string, playback, {
          scale: flags.scale ?? player.defaultScale,
          fps,
          maxFrames: flags.maxFrames,
          panel: panel === 'none' ? undefined : panel,
        });
        episodes = result.episodes;
        const dropped = result.droppedFrames
          ? ` (${result.droppedFrames} more not written: --max-frames)`
          : '';
        process.stdout.write(
          `wrote ${result.path}: ${result.format}, ${result.width}x${result.height}, ${result.frames} frames at ${fps} fps${dropped}\n`,
        );
      }
      for (const e of episodes) {
        process.stdout.write(
          `${player.label} episode ${e.episode}: return ${e.return} in ${e.steps} steps\n`,
        );
      }
    } finally {
      player.env.close();
      player.dispose();
    }
  });
  return cmd;
}

function agentPlayer(loaded: AgentRun, seed: number): Player {
  const { agent, setup } = loaded;
  const policy = new AgentPolicy(agent);
  return {
    env: loaded.makeEnv(seed),
    policy: policy.policy,
    gives: agent.panel,
    label: `${agent.config.env} ${loaded.runDir} (step ${agent.step})`,
    realTimeFps: setup.spec.kind === 'atari' ? EMULATOR_HZ / setup.frameskip : CLASSIC_FPS,
    defaultScale: setup.spec.kind === 'atari' ? 3 : 1,
    dispose: () => agent.dispose(),
  };
}

function builtinPlayer(id: string, name: 'random' | 'reference' | undefined, seed: number): Player {
  if (!name) throw new Error(`--env ${id} needs --policy random or --policy reference`);
  const registry = createRegistry();
  const spec = registry.spec(id);
  const env = registry.make(id, {}, seed);
  try {
    const policy = name === 'random' ? randomPolicy(env, new Rng(seed).spawn()) : referencePolicy(env);
    const frameskip = Number(spec.defaults.frameskip ?? 1);
    return {
      env,
      policy,
      gives: null,
      label: `${id} ${name}`,
      realTimeFps: spec.kind === 'atari' ? EMULATOR_HZ / (frameskip > 0 ? frameskip : 1) : CLASSIC_FPS,
      defaultScale: spec.kind === 'atari' ? 3 : 1,
      dispose: () => {},
    };
  } catch (err) {
    env.close();
    throw err;
  }
}

/** Draws every step in the terminal; Ctrl-C stops after the current frame and restores the cursor. */
async function playLive(player: Player, playback: PlaybackOptions, fps: number): Promise<EpisodeSummary[]> {
  const out = process.stdout;
  let stopped = false;
  const onSigint = () => {
    stopped = true;
  };
  process.on('SIGINT', onSigint);
  try {
    return await playInTerminal(
      player.env,
      player.policy,
      playback,
      { out, fps, columns: out.columns, rows: out.rows },
      { valuesKind: player.gives === 'policy' ? 'policy' : 'values', shouldStop: () => stopped },
    );
  } finally {
    process.off('SIGINT', onSigint);
  }
}
