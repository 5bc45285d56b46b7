/** The embedding as data: CSV (one row per point) and JSON, for use outside pixelrl. */
import { writeFileAtomic } from './atomic.js';

export interface EmbeddingRecord {
  /** n x 2 coordinates, row-major. */
  points: Float32Array;
  /** V(s) per point. */
  values: ArrayLike<number>;
  /** 'tsne' or 'umap'. */
  method: string;
  /** Extra per-point columns, e.g. { step, episode, action }; each of length n. */
  columns?: Record<string, ArrayLike<number>>;
}

function check(rec: EmbeddingRecord): number {
  const n = rec.points.length / 2;
  if (!Number.isInteger(n))
    throw new Error(`embedding: points must hold n*2 numbers, got ${rec.points.length}`);
  if (rec.values.length !== n) throw new Error(`embedding: ${rec.values.length} values for ${n} points`);
  for (const [name, col] of Object.entries(rec.columns ?? {})) {
    if (col.length !== n)
      throw new Error(`embedding: column "${name}" has ${col.length} entries for ${n} points`);
    if (!/^[A-Za-z_]\w*$/.test(name))
      throw new Error(`embedding: column name ${JSON.stringify(name)} must be an identifier`);
  }
  return n;
}

/** CSV with header `index,x,y,value[,extra columns]`. */
export function embeddingCsv(rec: EmbeddingRecord): string {
  const n = check(rec);
  const extra = Object.entries(rec.columns ?? {});
  const lines = [['index', 'x', 'y', 'value', ...extra.map(([k]) => k)].join(',')];
  for (let i = 0; i < n; i++) {
    lines.push(
      [i, rec.points[2 * i], rec.points[2 * i + 1], rec.values[i], ...extra.map(([, c]) => c[i])].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** JSON `{ method, n, points: [{ index, x, y, value, ...extra }] }`. */
export function embeddingJson(rec: EmbeddingRecord): string {
  const n = check(rec);
  const extra = Object.entries(rec.columns ?? {});
  const points = [];
  for (let i = 0; i < n; i++) {
    const p: Record<string, number> = {
      index: i,
      x: rec.points[2 * i],
      y: rec.points[2 * i + 1],
      value: rec.values[i],
    };
    for (const [k, c] of extra) p[k] = c[i];
    points.push(p);
  }
  return `${JSON.stringify({ method: rec.method, n, points })}\n`;
}

/** Writes the embedding to `path` as CSV (.csv) or JSON (.json). */
export function writeEmbedding(rec: EmbeddingRecord, path: string): void {
  if (/\.csv$/i.test(path)) writeFileAtomic(path, embeddingCsv(rec));
  else if (/\.json$/i.test(path)) writeFileAtomic(path, embeddingJson(rec));
  else throw new Error(`cannot write an embedding to ${path}: use a .csv or .json file name`);
}
