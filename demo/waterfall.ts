import type { ReceivedSpan } from '../test/helpers/sandbox/otlp-receiver';

const BAR_WIDTH = 40;

/** Prints spans as a trace waterfall: one line per span, indented by depth, with a time bar. */
export function renderWaterfall(spans: readonly ReceivedSpan[]): string {
  const lines: string[] = [];
  const byTrace = new Map<string, ReceivedSpan[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  for (const [traceId, traceSpans] of byTrace) {
    const start = traceSpans.reduce((min, s) => (s.startTimeUnixNano < min ? s.startTimeUnixNano : min), traceSpans[0].startTimeUnixNano);
    const end = traceSpans.reduce((max, s) => (s.endTimeUnixNano > max ? s.endTimeUnixNano : max), traceSpans[0].endTimeUnixNano);
    const total = Number(end - start) || 1;
    lines.push(`trace ${traceId}`);
    const ids = new Set(traceSpans.map((s) => s.spanId));
    const walk = (parent: string, depth: number): void => {
      const children = traceSpans
        .filter((s) => (parent === '' ? s.parentSpanId === '' || !ids.has(s.parentSpanId) : s.parentSpanId === parent))
        .sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
      for (const span of children) {
        const offset = Math.round((Number(span.startTimeUnixNano - start) / total) * BAR_WIDTH);
        const width = Math.max(1, Math.round((Number(span.endTimeUnixNano - span.startTimeUnixNano) / total) * BAR_WIDTH));
        const ms = (Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6).toFixed(1);
        const label = `${'  '.repeat(depth)}${span.name} (${span.kind})`;
        const bar = ' '.repeat(offset) + '█'.repeat(Math.min(width, BAR_WIDTH - offset));
        lines.push(`  ${label.padEnd(36)} ${bar.padEnd(BAR_WIDTH)} ${ms.padStart(7)} ms${span.status.code === 'ERROR' ? '  ERROR' : ''}`);
        walk(span.spanId, depth + 1);
      }
    };
    walk('', 0);
  }
  return lines.join('\n');
}
