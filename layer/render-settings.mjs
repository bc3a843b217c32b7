// Rewrites the README's settings table from src/config/settings.ts, the one source of truth.
// `npm run readme:settings`; a test fails when the README and the code differ.
import { buildSync } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { outputFiles } = buildSync({
  stdin: { contents: "export { SETTINGS } from './src/config/settings'; export { shownDefault } from './src/config/parse';", resolveDir: root, loader: 'ts' },
  bundle: true,
  format: 'esm',
  write: false,
});
const { SETTINGS, shownDefault } = await import(`data:text/javascript,${encodeURIComponent(outputFiles[0].text)}`);

const cell = (value) => (value.startsWith('(') || value.includes(' ') ? value : `\`${value}\``);
const rows = Object.entries(SETTINGS).map(([name, s]) => `| \`${name}\` | ${cell(shownDefault(s))} | ${s.doc} |`);
const table = ['| Variable | Default | What it does |', '|---|---|---|', ...rows].join('\n');

const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- settings-table:start -->';
const end = '<!-- settings-table:end -->';
const [before, rest] = readme.split(start);
const after = rest.split(end)[1];
writeFileSync(readmePath, `${before}${start}\n${table}\n${end}${after}`);
