/**
 * Traces as a terminal waterfall: one line per span, indented by depth, with a bar on the trace's
 * time scale; errors, cold starts and links to other traces on lines of their own. Colour only
 * when asked for (a terminal), so piped output and logs stay plain.
 */
import type { ReceivedSpan } from '../test/helpers/sandbox/otlp-receiver';
import { traceViews, type LinkView, type SpanRow } from './traces';

const BAR_WIDTH = 40;
const LABEL_WIDTH = 44;

export interface Paint {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly kind: (kind: ReceivedSpan['kind'], text: string) => string;
}

const sgr = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const KIND_COLOURS: Record<ReceivedSpan['kind'], string> = {
  SERVER: '34',
  CONSUMER: '35',
  CLIENT: '32',
  PRODUCER: '36',
  INTERNAL: '90',
  UNSPECIFIED: '90',
};

export const COLOUR: Paint = {
  bold: sgr('1'),
  dim: sgr('2'),
  red: sgr('31'),
  yellow: sgr('33'),
  cyan: sgr('36'),
  kind: (kind, text) => sgr(KIND_COLOURS[kind])(text),
};

const same = (text: string): string => text;
export const PLAIN: Paint = { bold: same, dim: same, red: same, yellow: same, cyan: same, kind: (_kind, text) => text };

/** Colour for a terminal that takes it: a TTY, unless NO_COLOR is set (https://no-color.org). */
export function paintFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Paint {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '' ? COLOUR : PLAIN;
}

export function renderWaterfall(spans: readonly ReceivedSpan[], paint: Paint = PLAIN): string {
  const lines: string[] = [];
  const traces = traceViews(spans);
  for (const trace of traces) {
    const facts = [`${trace.rows.length} span${trace.rows.length === 1 ? '' : 's'}`, `${trace.durationMs.toFixed(1)} ms`];
    if (trace.coldStart) facts.push(paint.yellow('cold start'));
    if (trace.errors > 0) facts.push(paint.red(`${trace.errors} error${trace.errors === 1 ? '' : 's'}`));
    lines.push(`${paint.bold(`trace ${trace.index + 1}: ${trace.title}`)}  ${paint.dim(trace.traceId)}  ${facts.join(' · ')}`);
    for (const row of trace.rows) lines.push(...spanLines(row, paint));
  }
  return lines.join('\n');
}

function spanLines(row: SpanRow, paint: Paint): string[] {
  const indent = '  '.repeat(row.depth + 1);
  const kind = row.span.kind;
  const name = truncate(`${indent}${row.span.name}`, LABEL_WIDTH - kind.length - 1);
  const label = `${name} ${paint.kind(kind, kind)}${' '.repeat(Math.max(0, LABEL_WIDTH - name.length - kind.length - 1))}`;
  const offset = Math.min(BAR_WIDTH - 1, Math.round(row.offset * BAR_WIDTH));
  const width = Math.min(BAR_WIDTH - offset, Math.max(1, Math.round(row.width * BAR_WIDTH)));
  const bar = ' '.repeat(offset) + '█'.repeat(width) + ' '.repeat(BAR_WIDTH - offset - width);
  const tags = [row.coldStart ? paint.yellow('cold start') : '', row.error !== undefined ? paint.red('ERROR') : ''].filter((t) => t !== '');
  const lines = [
    `${label} ${row.error !== undefined ? paint.red(bar) : paint.kind(kind, bar)} ${row.durationMs.toFixed(1).padStart(7)} ms${tags.length > 0 ? `  ${tags.join(' ')}` : ''}`,
  ];
  const detail = `${indent}  `;
  if (row.error !== undefined) lines.push(paint.red(`${detail}✗ ${row.error}`));
  for (const link of row.links) lines.push(paint.cyan(`${detail}${linkText(link)}`));
  return lines;
}

function linkText(link: LinkView): string {
  const where = link.target === undefined ? `trace ${link.traceId} span ${link.spanId} (not shown)` : `${link.target.name} in trace ${link.target.traceIndex + 1}`;
  return link.incoming ? `↖ linked from ${where}` : `↗ links to ${where}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
