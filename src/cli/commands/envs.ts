/** `pixelrl envs`: the bundled environments, their action sets and their random/reference scores. */
import { Command } from 'commander';
import { createRegistry, type EnvDescription } from '../../../envs/registry.js';

export function envsCommand(): Command {
  return new Command('envs')
    .description('list the bundled environments with their actions, observation shapes and scores')
    .option('--json', 'print JSON instead of a table')
    .action((opts: { json?: boolean }) => {
      const list = createRegistry().list();
      process.stdout.write(opts.json ? `${JSON.stringify(list, null, 2)}\n` : formatEnvTable(list));
    });
}

/** A plain-text table of env descriptions, one env per block. */
export function formatEnvTable(list: readonly EnvDescription[]): string {
  const lines: string[] = [];
  for (const d of list) {
    const scores = d.scores ? `   random ${fmt(d.scores.random)}   reference ${fmt(d.scores.reference)}` : '';
    lines.push(`${d.id.padEnd(18)} ${d.kind.padEnd(8)} obs [${d.observationShape.join('x')}]${scores}`);
    lines.push(`  ${d.description}`);
    lines.push(`  actions (${d.actionMeanings.length}): ${d.actionMeanings.join(' ')}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
