/** The printed table and the JSON file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure, Verdict } from './budgets';

export interface Row extends Figure {
  /** The no-layer baseline the "added" figures are relative to (absolute value), if any. */
  readonly baseline?: number;
}

function fmt(value: number, unit: Row['unit']): string {
  if (unit === 'bytes') return Math.abs(value) >= 1024 * 1024 ? `${(value / 1024 / 1024).toFixed(2)} MB` : `${(value / 1024).toFixed(1)} KB`;
  return `${value.toFixed(Math.abs(value) < 10 ? 2 : 1)} ms`;
}

export function renderTable(rows: readonly Row[], verdicts: readonly Verdict[]): string {
  const header = ['figure', 'no layer', 'upstream', 'ours', 'ours/upstream', 'budget', ''];
  const lines = rows.map((r) => {
    const v = verdicts.find((x) => x.figure === r.id);
    const ratio = r.upstream !== 0 ? (r.ours / r.upstream).toFixed(2) : '-';
    return [
      r.id,
      r.baseline === undefined ? '' : fmt(r.baseline, r.unit),
      fmt(r.upstream, r.unit),
      fmt(r.ours, r.unit),
      ratio,
      v?.budget ?? '',
      v === undefined ? '' : v.ok ? 'ok' : 'MISSED',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [row(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}

export function writeJson(root: string, data: unknown): string {
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}
