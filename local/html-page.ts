/**
 * Traces as one self-contained HTML page: no script, no font, no request to anywhere, so it opens
 * from a file on any machine. A waterfall per trace, bars to scale; each span is a <details>
 * element, so a click shows its attributes, events, links and resource.
 */
import type { ReceivedSpan } from '../test/helpers/sandbox/otlp-receiver';
import { attributeText, traceViews, type LinkView, type SpanRow, type TraceView } from './traces';

export interface PageInfo {
  readonly title: string;
  /** One line under the title: what ran, when. */
  readonly subtitle: string;
}

export function renderHtmlPage(spans: readonly ReceivedSpan[], info: PageInfo): string {
  const traces = traceViews(spans);
  const summary = `${traces.length} trace${traces.length === 1 ? '' : 's'}, ${spans.length} span${spans.length === 1 ? '' : 's'}`;
  const body =
    traces.length === 0
      ? '<p class="empty">No spans arrived.</p>'
      : traces.map(traceSection).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(info.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escape(info.title)}</h1>
<p class="summary">${escape(summary)} · ${escape(info.subtitle)}</p>
<p class="legend">Span kinds: ${KINDS.map((k) => `<span class="kind kind-${k.toLowerCase()}">${k}</span>`).join(' ')} · click a span for its attributes</p>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

const KINDS: readonly ReceivedSpan['kind'][] = ['SERVER', 'CONSUMER', 'CLIENT', 'PRODUCER', 'INTERNAL'];

function traceSection(trace: TraceView): string {
  const badges = [
    trace.coldStart ? '<span class="badge cold">cold start</span>' : '',
    trace.errors > 0 ? `<span class="badge error">${trace.errors} error${trace.errors === 1 ? '' : 's'}</span>` : '',
  ].join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((at) => `<span style="left:${percent(at)}">${(trace.durationMs * at).toFixed(1)} ms</span>`)
    .join('');
  return `<section class="trace" id="trace-${trace.traceId}">
<h2><span class="index">Trace ${trace.index + 1}</span> ${escape(trace.title)} ${badges}</h2>
<p class="meta">trace id <code>${trace.traceId}</code> · ${trace.rows.length} spans · ${trace.durationMs.toFixed(1)} ms</p>
<div class="axis"><span class="head">span</span><span></span><span></span><span class="ticks">${ticks}</span></div>
${trace.rows.map(spanRow).join('\n')}
</section>`;
}

function spanRow(row: SpanRow): string {
  const { span } = row;
  const kind = span.kind.toLowerCase();
  const marks = [
    row.coldStart ? '<span class="mark cold">cold start</span>' : '',
    row.error !== undefined ? '<span class="mark error">✗ error</span>' : '',
    row.links.length > 0 ? `<span class="mark link">⇄ ${row.links.length} link${row.links.length === 1 ? '' : 's'}</span>` : '',
  ].join('');
  const bar = `<span class="bar kind-${kind}${row.error !== undefined ? ' error' : ''}" style="left:${percent(row.offset)};width:${percent(row.width, true)}"></span>`;
  return `<details class="span${row.error !== undefined ? ' error' : ''}" id="span-${span.spanId}">
<summary><span class="name" style="padding-left:${row.depth * 1.25}em">${escape(span.name)}</span><span class="kind kind-${kind}">${span.kind}</span><span class="marks">${marks}</span><span class="track">${bar}</span><span class="ms">${row.durationMs.toFixed(1)} ms</span></summary>
<div class="detail">
${row.error !== undefined ? `<p class="status error">Error: ${escape(row.error)}</p>` : ''}
${row.links.length > 0 ? `<p class="links">${row.links.map(linkItem).join('<br>')}</p>` : ''}
<p class="ids">span <code>${span.spanId}</code>${span.parentSpanId !== '' ? ` · parent <code>${span.parentSpanId}</code>` : ''} · starts at ${row.startMs.toFixed(1)} ms · scope ${escape(span.scope.name)}</p>
${table('Attributes', span.attributes)}
${span.events.map((event) => table(`Event: ${event.name}`, event.attributes)).join('\n')}
${table('Resource', span.resource)}
</div>
</details>`;
}

function linkItem(link: LinkView): string {
  const where =
    link.target === undefined
      ? `trace <code>${link.traceId}</code> span <code>${link.spanId}</code> (not on this page)`
      : `<a href="#span-${link.spanId}">${escape(link.target.name)}</a> in <a href="#trace-${link.traceId}">trace ${link.target.traceIndex + 1}</a>`;
  return link.incoming ? `↖ Linked from ${where}` : `↗ Links to ${where}`;
}

function table(caption: string, attributes: Record<string, unknown>): string {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return '';
  const rows = entries.map(([name, value]) => `<tr><th>${escape(name)}</th><td>${escape(attributeText(value))}</td></tr>`).join('');
  return `<table><caption>${escape(caption)}</caption>${rows}</table>`;
}

function percent(fraction: number, atLeastVisible = false): string {
  const value = Math.min(100, Math.max(0, fraction * 100));
  return `${(atLeastVisible ? Math.max(value, 0.3) : value).toFixed(2)}%`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d2230; --muted: #667; --line: #d8dce6; --bg: #fff; --row: #f5f7fb;
  --server: #3b6fd8; --consumer: #9a4fd0; --client: #2e9a5b; --producer: #1d97a6; --internal: #8a8f9c; --error: #d33a3a; --cold: #c98a00; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e7ee; --muted: #99a; --line: #394052; --bg: #161a22; --row: #1e2430; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 1.5em; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.4em; margin: 0 0 .2em; }
h2 { font-size: 1.1em; margin: 0; }
code { font: 12px ui-monospace, monospace; }
.summary, .legend, .meta { color: var(--muted); margin: .2em 0; }
.trace { border: 1px solid var(--line); border-radius: 8px; padding: 1em; margin: 1.2em 0; }
.index { color: var(--muted); font-weight: normal; margin-right: .3em; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 10px; padding: 0 .6em; margin-left: .4em; color: #fff; }
.badge.cold { background: var(--cold); } .badge.error { background: var(--error); }
.axis, summary { display: grid; align-items: center; gap: .6em; }
.axis > span { font-size: 12px; }
.axis { color: var(--muted); border-bottom: 1px solid var(--line); padding: .3em 0; margin-top: .6em; }
.axis { grid-template-columns: minmax(16em, 30%) 6.5em 9em 1fr 6em; }
.axis .ticks { position: relative; height: 1.2em; grid-column: 4; }
.axis .ticks span { position: absolute; transform: translateX(-50%); white-space: nowrap; }
.axis .ticks span:first-child { transform: none; } .axis .ticks span:last-child { transform: translateX(-100%); }
details.span { border-bottom: 1px solid var(--line); }
summary { cursor: pointer; list-style: none; padding: .25em 0; grid-template-columns: minmax(16em, 30%) 6.5em 9em 1fr 6em; }
summary::-webkit-details-marker { display: none; }
summary:hover, details[open] > summary { background: var(--row); }
.name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
details.error .name { color: var(--error); font-weight: 600; }
.kind { font-size: 11px; font-weight: 600; border-radius: 4px; padding: 0 .4em; color: #fff; background: var(--internal); justify-self: start; }
.kind-server { background: var(--server); } .kind-consumer { background: var(--consumer); } .kind-client { background: var(--client); }
.kind-producer { background: var(--producer); } .kind-internal, .kind-unspecified { background: var(--internal); }
.marks { display: flex; gap: .4em; overflow: hidden; }
.mark { font-size: 11px; font-weight: 600; white-space: nowrap; }
.mark.cold { color: var(--cold); } .mark.error { color: var(--error); } .mark.link { color: var(--producer); }
.track { position: relative; height: 14px; background: var(--row); border-radius: 3px; grid-column: 4; }
.bar { position: absolute; top: 2px; bottom: 2px; border-radius: 3px; background: var(--internal); }
.bar.kind-server { background: var(--server); } .bar.kind-consumer { background: var(--consumer); } .bar.kind-client { background: var(--client); }
.bar.kind-producer { background: var(--producer); } .bar.error { background: var(--error); }
.ms { text-align: right; font-variant-numeric: tabular-nums; grid-column: 5; }
.detail { padding: .4em 0 .8em 1.2em; }
.status.error { color: var(--error); font-weight: 600; }
table { border-collapse: collapse; margin: .4em 0; font-size: 12px; }
caption { text-align: left; font-weight: 600; padding: .2em 0; }
th, td { text-align: left; vertical-align: top; padding: .1em .8em .1em 0; border-top: 1px solid var(--line); }
th { font-weight: normal; color: var(--muted); white-space: nowrap; }
td { font-family: ui-monospace, monospace; word-break: break-all; }
.empty { color: var(--muted); }
`;
