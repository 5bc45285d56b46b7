import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../../envs/core.js';
import { fitFrame, formatStatus, frameToAnsi, TerminalPlayer } from '../../src/viz/terminal.js';

const E = '\x1b[';

function frame(width: number, height: number, pixels: number[][]): RgbFrame {
  return { width, height, data: Uint8Array.from(pixels.flat()) };
}

describe('frameToAnsi', () => {
  it('draws a 2x2 frame as one row of two half blocks', () => {
    // Row 0: red, green. Row 1: blue, white.
    const f = frame(2, 2, [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [255, 255, 255],
    ]);
    const expected =
      `${E}38;2;255;0;0m${E}48;2;0;0;255m▀` + `${E}38;2;0;255;0m${E}48;2;255;255;255m▀` + `${E}0m\n`;
    expect(frameToAnsi(f)).toBe(expected);
  });

  it('does not repeat colour codes that have not changed, and ends an odd frame on the default background', () => {
    const grey = [9, 9, 9];
    const f = frame(2, 3, [grey, grey, grey, grey, [1, 2, 3], [1, 2, 3]]);
    const expected = `${E}38;2;9;9;9m${E}48;2;9;9;9m▀▀${E}0m\n` + `${E}38;2;1;2;3m▀▀${E}0m\n`;
    expect(frameToAnsi(f)).toBe(expected);
  });

  it('fits a wide frame into the given columns', () => {
    const f = frame(
      8,
      4,
      Array.from({ length: 32 }, () => [100, 100, 100]),
    );
    const text = frameToAnsi(f, { columns: 4 });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1); // 4x2 pixels → one text row
    expect(lines[0].split('▀').length - 1).toBe(4);
  });
});

describe('fitFrame', () => {
  it('averages the source pixels each output pixel covers', () => {
    const f = frame(4, 2, [
      [0, 0, 0],
      [100, 0, 0],
      [0, 0, 0],
      [0, 0, 200],
      [0, 0, 0],
      [100, 0, 0],
      [0, 0, 0],
      [0, 0, 200],
    ]);
    const out = fitFrame(f, 2);
    expect(out.width).toBe(2);
    expect(out.height).toBe(1);
    expect([...out.data]).toEqual([50, 0, 0, 0, 0, 100]);
  });

  it('never enlarges', () => {
    const f = frame(1, 1, [[1, 2, 3]]);
    expect(fitFrame(f, 10, 10)).toBe(f);
  });
});

describe('formatStatus', () => {
  it('never prints a negative zero (issue 14): -0.001 is 0.00', () => {
    expect(
      formatStatus({ score: -0.001, values: [-0.001, 0.5], actionNames: ['NOOP', 'FIRE'], chosen: 1 }),
    ).toBe('score 0.00  Q: NOOP 0.00  FIRE 0.50*');
  });

  it('lists the fields given and marks the chosen action', () => {
    const s = formatStatus({
      episode: 2,
      step: 130,
      score: 4,
      lives: 2,
      values: [0.5, 1.25],
      actionNames: ['NOOP', 'FIRE'],
      chosen: 1,
    });
    expect(s).toBe('ep 2  step 130  score 4  lives 2  Q: NOOP 0.50  FIRE 1.25*');
  });

  it("labels a policy's probabilities π instead of Q", () => {
    const s = formatStatus({
      values: [0.25, 0.75],
      actionNames: ['LEFT', 'RIGHT'],
      valuesKind: 'policy',
      chosen: 1,
    });
    expect(s).toBe('π: LEFT 0.25  RIGHT 0.75*');
  });
});

describe('TerminalPlayer', () => {
  it('caps the frame rate with the injected clock, without catching up on late frames', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const written: string[] = [];
    const player = new TerminalPlayer({
      out: { write: (s: string) => written.push(s) },
      fps: 10,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    const f = frame(1, 2, [
      [1, 1, 1],
      [2, 2, 2],
    ]);
    await player.show(f, 'a'); // t=0: at once
    now += 30; // the caller took 30 ms
    await player.show(f, 'b'); // due at 100: sleeps 70
    now += 250; // a slow step: 350 > 200
    await player.show(f, 'c'); // late: no sleep
    await player.show(f, 'd'); // due 100 ms after the late frame
    expect(sleeps).toEqual([70, 100]);
    expect(player.shown).toBe(4);
    expect(written[0].startsWith(`${E}?25l${E}2J${E}H`)).toBe(true);
    expect(written[1].startsWith(`${E}H${E}38;2;1;1;1m`)).toBe(true);
    expect(written[1].endsWith(`b${E}K\n`)).toBe(true);
    player.close();
    expect(written.at(-1)).toBe(`${E}0m${E}?25h`);
  });
});
