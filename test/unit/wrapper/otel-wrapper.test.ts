import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_LAYER } from '../../helpers/paths';
const PRINT = 'process.stdout.write(JSON.stringify({ options: process.env.NODE_OPTIONS ?? null, args: process.argv.slice(1) }))';

/** A copy of the built layer in a folder whose name has a space, as an unpacked layer might. */
function layerCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'wrapper test ')), 'my layer');
  cpSync(BUILT_LAYER, dir, { recursive: true });
  return dir;
}

function run(layer: string, env: Record<string, string>, args: string[] = []) {
  const result = spawnSync(join(layer, 'otel-wrapper'), [process.execPath, '-e', PRINT, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr, ...(JSON.parse(result.stdout) as { options: string | null; args: string[] }) };
}

describe('otel-wrapper', () => {
  let layer: string;
  beforeAll(() => {
    layer = layerCopy();
  });
  afterAll(() => rmSync(join(layer, '..'), { recursive: true, force: true }));

  it('adds the preload with --import, quoted so a path with spaces survives, and node loads it', () => {
    const out = run(layer, { OTEL_LOG_LEVEL: 'debug' });
    expect(out.options).toBe(`--import "${join(layer, 'otel-preload', 'preload.mjs')}"`);
    expect(out.status).toBe(0);
    // The preload ran: with no _HANDLER it leaves the runtime alone and says so at debug level.
    expect(out.stderr).toContain('[lambda-otel-preload] DEBUG handler undefined left to the runtime');
  });

  it('keeps whatever NODE_OPTIONS the user already had', () => {
    const out = run(layer, { NODE_OPTIONS: '--max-old-space-size=100 --enable-source-maps' });
    expect(out.options).toBe(
      `--max-old-space-size=100 --enable-source-maps --import "${join(layer, 'otel-preload', 'preload.mjs')}"`,
    );
    expect(out.status).toBe(0);
  });

  it('passes the runtime command through unchanged, arguments with spaces included', () => {
    expect(run(layer, {}, ['two words', '--flag', '']).args).toEqual(['two words', '--flag', '']);
  });

  it.each(['true', 'TRUE', 'True'])('with OTEL_SDK_DISABLED=%s starts the runtime untouched', (value) => {
    const out = run(layer, { OTEL_SDK_DISABLED: value, NODE_OPTIONS: '--enable-source-maps' });
    expect(out.options).toBe('--enable-source-maps');
    expect(out.stderr).toBe('');
  });

  it('without the preload says so on stderr and still starts the function', () => {
    const broken = mkdtempSync(join(tmpdir(), 'wrapper-no-preload-'));
    cpSync(join(BUILT_LAYER, 'otel-wrapper'), join(broken, 'otel-wrapper'));
    const out = run(broken, {});
    expect(out.options).toBeNull();
    expect(out.status).toBe(0);
    expect(out.stderr).toBe(
      `[lambda-otel-preload] ERROR preload not found at ${join(broken, 'otel-preload', 'preload.mjs')}; starting the function untraced\n`,
    );
    rmSync(broken, { recursive: true, force: true });
  });
});
