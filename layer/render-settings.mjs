// Rewrites the README's settings table from src/config/settings.ts, the one source of truth.
// `npm run readme:settings`; a test fails when the README and the code differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTs } from './load-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { SETTINGS } = await loadTs(join(root, 'src/config/settings.ts'));
const { shownDefault } = await loadTs(join(root, 'src/config/parse.ts'));

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
