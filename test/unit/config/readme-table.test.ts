import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { shownDefault } from '../../../src/config/parse';
import { LAMBDA_ENV, SETTINGS, UPSTREAM_ONLY } from '../../../src/config/settings';
import { PROJECT_ROOT as ROOT } from '../../helpers/paths';

function readmeRows(): Map<string, { default: string; doc: string }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.split('<!-- settings-table:start -->')[1]?.split('<!-- settings-table:end -->')[0] ?? '';
  const rows = new Map<string, { default: string; doc: string }>();
  for (const line of table.split('\n')) {
    const match = /^\| `([A-Z_]+)` \| (.+?) \| (.+) \|$/.exec(line.trim());
    if (match) rows.set(match[1], { default: match[2].replace(/^`(.*)`$/, '$1'), doc: match[3] });
  }
  return rows;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the README settings table', () => {
  it('lists every setting with the default and text from src/config/settings.ts, and nothing else', () => {
    const rows = readmeRows();
    expect([...rows.keys()]).toEqual(Object.keys(SETTINGS));
    for (const [name, setting] of Object.entries(SETTINGS)) {
      expect({ name, ...rows.get(name) }).toEqual({ name, default: shownDefault(setting), doc: setting.doc });
    }
  });

  it('names every choice of a setting in its description, and defaults to choices only', () => {
    for (const [name, setting] of Object.entries(SETTINGS)) {
      const choices: readonly string[] = 'choices' in setting ? setting.choices : [];
      const defaults: readonly unknown[] = 'choices' in setting ? [setting.default ?? []].flat() : [];
      expect({ name, missing: choices.filter((choice) => !setting.doc.includes(`\`${choice}\``)) }).toEqual({ name, missing: [] });
      expect({ name, unknownDefaults: defaults.filter((value) => !choices.includes(String(value))) }).toEqual({ name, unknownDefaults: [] });
    }
  });

  it('covers every OTEL_ or LAMBDA_OTEL_ name the code mentions', () => {
    const known = new Set<string>([...Object.keys(SETTINGS), ...Object.keys(UPSTREAM_ONLY), ...LAMBDA_ENV]);
    const mentioned = new Set<string>();
    for (const file of [...sourceFiles(join(ROOT, 'src')), join(ROOT, 'wrapper', 'otel-wrapper.in')]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\b(?:OTEL|LAMBDA_OTEL)_[A-Z_]+\b/g)) mentioned.add(match[0]);
    }
    expect([...mentioned].filter((name) => !known.has(name))).toEqual([]);
  });

  it('only the two entry points touch process.env; config receives it as an argument', () => {
    const readers = sourceFiles(join(ROOT, 'src'))
      .filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8')))
      .map((file) => file.slice(ROOT.length + 1))
      .sort();
    expect(readers).toEqual(['src/handler-entry.ts', 'src/preload.ts']);
  });
});
