/**
 * What the side-by-side benchmarks (bench-learner, bench-dqn, bench-ppo) share: finding a python
 * that can `import torch`, and the median of a run's figures.
 */
import { spawnSync } from 'node:child_process';

/** A python that has torch: pyenv or venv shims may shadow Debian's python3-torch, so try the system one too. */
export function findTorchPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return python;
  }
  return undefined;
}

/** The median (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
