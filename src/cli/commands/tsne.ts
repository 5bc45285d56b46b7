/**
 * `pixelrl tsne <run>`: the DQN paper's Figure 4 for your own agent. Plays the agent for a number
 * of steps, records the last hidden layer's activations of each state with its predicted value
 * V(s) = max_a Q(s, a) (policy-gradient agents: the critic's V(s), features of the policy torso)
 * and its screen, embeds a uniform sample of them in 2-D (t-SNE, or UMAP with
 * --method umap) and draws the map coloured by V with thumbnails of a few states (PNG/SVG), and
 * writes the embedding (CSV/JSON). Also draws V(s) along the first episode with the screens at
 * its peaks and dips (the idea of the paper's Figure 3).
 */
import { Command, Option } from 'commander';
import { type BackendName, initBackend } from '../../backend/select.js';
import { Rng } from '../../util/rng.js';
import {
  fontWarning,
  playEpisodes,
  StateRecorder,
  writeEmbeddingReport,
  writeValueEpisodePlot,
} from '../../viz/index.js';
import { AgentPolicy, openAgentRun } from './agent-policy.js';
import { BACKEND_HELP, backendArg, collect, intArg, rangeArg } from './cli-args.js';

interface TsneFlags {
  steps: number;
  points: number;
  method: 'tsne' | 'umap';
  out?: string[];
  valuePlot?: string[] | false;
  epsilon: number;
  seed: number;
  noopMax: number;
  maxEpisodeSteps: number;
  perplexity?: number;
  iterations?: number;
  backend?: BackendName;
}

export function tsneCommand(): Command {
  const cmd = new Command('tsne')
    .description(
      "map an agent's hidden states in 2-D (t-SNE or UMAP) coloured by V(s), as in the DQN paper's Fig. 4; plus V over an episode",
    )
    .argument(
      '<run>',
      'run name under checkpoints/, a run directory, its checkpoint/ folder, or a bundled agent',
    )
    .option('--steps <n>', 'agent steps to play while recording states', intArg('--steps', 4), 3000)
    .option(
      '--points <n>',
      'states embedded at most (a uniform sample of those played)',
      intArg('--points', 4),
      1000,
    )
    .addOption(new Option('--method <name>', 'embedding').choices(['tsne', 'umap']).default('tsne'))
    .option(
      '-o, --out <file>',
      'map (.png, .svg) or embedding (.csv, .json); repeatable (default: tsne-map.png and tsne-embedding.csv)',
      collect,
    )
    .option(
      '--value-plot <file>',
      'also plot V(s) over the first episode (.png, .svg); repeatable (default: no plot)',
      collect,
    )
    .option('--no-value-plot', 'no value-over-an-episode plot (the default; kept for old scripts)')
    .option('--epsilon <x>', 'ε of the ε-greedy policy played', rangeArg('--epsilon', 0, 1), 0.05)
    .option('--seed <n>', 'seed of the env, ε, the sample and the embedding', intArg('--seed', 0), 0)
    .option(
      '--noop-max <n>',
      'up to this many no-ops at episode start (pixel games)',
      intArg('--noop-max', 0),
      30,
    )
    .option(
      '--max-episode-steps <n>',
      'cut an episode after this many steps',
      intArg('--max-episode-steps', 2),
      5000,
    )
    .option(
      '--perplexity <x>',
      't-SNE perplexity (default min(30, (n - 1) / 3))',
      rangeArg('--perplexity', 1, 1000),
    )
    .option(
      '--iterations <n>',
      't-SNE gradient steps (default 500) or UMAP epochs',
      intArg('--iterations', 10),
    )
    .option('--backend <name>', BACKEND_HELP, backendArg);

  cmd.action(async (run: string, flags: TsneFlags) => {
    const fail = (msg: string): never => cmd.error(`error: ${msg}`, { exitCode: 2 });
    const outputs = flags.out ?? ['tsne-map.png', 'tsne-embedding.csv'];
    const badOut = outputs.filter((p) => !/\.(png|svg|csv|json)$/i.test(p));
    if (badOut.length) fail(`cannot write ${badOut.join(', ')}: use .png, .svg, .csv or .json file names`);
    // Only files asked for are written: no value plot unless --value-plot names one.
    const valuePlots = flags.valuePlot === false ? [] : (flags.valuePlot ?? []);
    const badPlot = valuePlots.filter((p) => !/\.(png|svg)$/i.test(p));
    if (badPlot.length)
      fail(`cannot write the value plot ${badPlot.join(', ')}: use .png or .svg file names`);

    await initBackend({ backend: flags.backend });
    const loaded = await openAgentRun(run, flags.noopMax).catch((err: Error) => fail(err.message));
    const { agent } = loaded;
    // DQN's state value is its best Q-value; policy-gradient agents have a critic (REINFORCE: a baseline).
    const VALUE_LABEL = agent.panel === 'values' ? 'V(s) = max_a Q(s, a)' : 'V(s) (critic)';
    const env = loaded.makeEnv(flags.seed);
    try {
      const root = new Rng(flags.seed);
      const playRng = root.spawn();
      const sampleRng = root.spawn();
      const embedRng = root.spawn();
      const policy = new AgentPolicy(agent, { features: true });
      const states = new StateRecorder({ capacity: flags.points, dim: policy.featureDim, rng: sampleRng });
      // The first episode in order: a recorder that is never full keeps every state in its slot,
      // with its screen stored deflated (a whole episode of raw screens would take ~100 KB a step).
      const episode = new StateRecorder({ capacity: flags.maxEpisodeSteps, dim: 1, rng: sampleRng.spawn() });
      const rewards: number[] = [];
      let played = 0;
      let firstDone = false;
      const t0 = performance.now();
      const steps = playEpisodes(env, policy.policy, {
        episodes: Number.MAX_SAFE_INTEGER,
        epsilon: flags.epsilon,
        rng: playRng,
        seed: flags.seed,
        maxSteps: flags.maxEpisodeSteps,
      });
      for (const s of steps) {
        const last = policy.last;
        if (!last?.features) throw new Error('the agent gave no hidden-layer features');
        const v = last.value;
        if (played < flags.steps) {
          states.add(last.features, v, s.frame, { episode: s.episode, step: s.step, action: s.action });
          played++;
        }
        if (s.episode === 1) {
          episode.add([v], v, s.frame, { episode: 1, step: s.step, action: s.action });
          rewards.push(s.reward);
          if (s.done) firstDone = true;
        }
        if (played >= flags.steps && (firstDone || valuePlots.length === 0)) break;
      }
      const playSeconds = (performance.now() - t0) / 1000;
      process.stdout.write(
        `played ${played} steps of ${agent.config.env} in ${playSeconds.toFixed(1)} s; ` +
          `embedding ${states.size} states of ${policy.featureDim} features with ${flags.method}\n`,
      );
      const t1 = performance.now();
      let points: Float32Array;
      try {
        points = writeEmbeddingReport(states, {
          rng: embedRng,
          method: flags.method,
          outputs,
          perplexity: flags.perplexity,
          iterations: flags.iterations,
          valueLabel: VALUE_LABEL,
        });
      } catch (err) {
        return fail((err as Error).message);
      }
      process.stdout.write(
        `embedded ${points.length / 2} points in ${((performance.now() - t1) / 1000).toFixed(1)} s; wrote ${outputs.join(', ')}\n`,
      );
      if (valuePlots.length) {
        const values = episode.values();
        const written = writeValueEpisodePlot(
          {
            values,
            rewards,
            frames: (i) => episode.frame(i),
            valueLabel: VALUE_LABEL,
            title: `${VALUE_LABEL} over an episode of ${agent.config.env} (${values.length} steps, return ${sum(rewards)})`,
          },
          valuePlots,
        );
        process.stdout.write(`wrote ${written.join(', ')}: V(s) over episode 1 (${values.length} steps)\n`);
      }
      const font = [...outputs, ...valuePlots].some((p) => /\.png$/i.test(p)) ? fontWarning() : null;
      if (font) process.stderr.write(`warning: ${font}\n`);
    } finally {
      env.close();
      agent.dispose();
    }
  });
  return cmd;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
