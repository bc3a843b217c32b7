import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_NODE_MODULES, WORK_DIR } from '../paths';
import { dependencyClosure } from './runtime-node-modules';

/**
 * A function that ships its own AWS SDK: `packages` and what they need, in the task root's own
 * node_modules. The files are hard links (`cp -al`), not symlinks, so Node's realpath of every
 * SDK module is inside the task root and nothing resolves to the runtime's NODE_PATH copy.
 *
 * The closure is linked once into test/.work (atomically: jest workers may race), and each task
 * root gets a hard-linked copy of that, which costs milliseconds. Task roots live in os.tmpdir():
 * hard links need it on the same filesystem as the project, which `cp -al` checks by failing.
 */
export function installOwnSdk(taskRoot: string, packages: readonly string[]): void {
  const cached = cachedNodeModules(packages);
  execFileSync('cp', ['-al', cached, join(taskRoot, 'node_modules')], { stdio: 'pipe' });
}

function cachedNodeModules(packages: readonly string[]): string {
  const key = [...packages].sort().join('+').replace(/[@/]/g, '_');
  const dir = join(WORK_DIR, 'function-sdk', key);
  const target = join(dir, 'node_modules');
  if (existsSync(join(dir, '.complete'))) return target;

  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  for (const name of dependencyClosure(packages)) {
    const destination = join(staging, 'node_modules', name);
    mkdirSync(dirname(destination), { recursive: true });
    execFileSync('cp', ['-al', join(PROJECT_NODE_MODULES, name), destination], { stdio: 'pipe' });
  }
  mkdirSync(join(staging, '.complete'));
  try {
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(staging, dir);
  } catch {
    // Another worker won the race: use its copy.
    rmSync(staging, { recursive: true, force: true });
  }
  if (!existsSync(join(dir, '.complete'))) throw new Error(`could not create ${target}`);
  return target;
}
