import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_NODE_MODULES, WORK_DIR } from '../paths';

const SDK_PREFIXES = ['@aws-sdk/', '@aws-crypto/', '@smithy/', '@aws/'];

/**
 * The runtime's own node_modules (Lambda's /var/runtime/node_modules): the AWS SDK v3 and what it
 * needs at run time, as symlinks into the project's node_modules, and nothing of OpenTelemetry.
 * Created once (atomically, so parallel jest workers can race) and returned as the folder to put
 * on NODE_PATH.
 */
export function runtimeNodeModules(): string {
  const target = join(WORK_DIR, 'runtime-node_modules', 'node_modules');
  if (existsSync(join(target, '.complete'))) return target;

  const names = sdkClosure();
  const staging = join(WORK_DIR, `runtime-node_modules.tmp-${process.pid}-${Date.now()}`);
  const stagingModules = join(staging, 'node_modules');
  mkdirSync(stagingModules, { recursive: true });
  for (const name of names) {
    const link = join(stagingModules, name);
    if (name.startsWith('@')) mkdirSync(join(stagingModules, name.split('/')[0]), { recursive: true });
    symlinkSync(join(PROJECT_NODE_MODULES, name), link, 'dir');
  }
  mkdirSync(join(stagingModules, '.complete'));
  const finalDir = join(WORK_DIR, 'runtime-node_modules');
  try {
    if (existsSync(finalDir) && !existsSync(join(target, '.complete'))) rmSync(finalDir, { recursive: true, force: true });
    renameSync(staging, finalDir);
  } catch {
    // Another worker won the race: use its copy.
    rmSync(staging, { recursive: true, force: true });
  }
  if (!existsSync(join(target, '.complete'))) throw new Error(`could not create ${target}`);
  return target;
}

function topLevelPackages(): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(PROJECT_NODE_MODULES)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of readdirSync(join(PROJECT_NODE_MODULES, entry))) out.push(`${entry}/${sub}`);
    } else {
      out.push(entry);
    }
  }
  return out;
}

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJson {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as PackageJson) : {};
  } catch {
    return {};
  }
}

/** Every top-level SDK package, plus the top-level packages they depend on, transitively. */
function sdkClosure(): string[] {
  return dependencyClosure(topLevelPackages().filter((n) => SDK_PREFIXES.some((p) => n.startsWith(p))));
}

/**
 * `roots` and the top-level packages of the project's node_modules they depend on, transitively,
 * leaving out OpenTelemetry (which neither Lambda's runtime nor a function's SDK brings).
 */
export function dependencyClosure(roots: readonly string[]): string[] {
  const all = new Set(topLevelPackages());
  const queue = [...roots];
  const chosen = new Set<string>();
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (chosen.has(name) || name.startsWith('@opentelemetry/')) continue;
    chosen.add(name);
    const pkg = readPackageJson(join(PROJECT_NODE_MODULES, name));
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies })) {
      if (all.has(dep) && !chosen.has(dep)) queue.push(dep);
    }
  }
  return [...chosen].sort();
}

/**
 * The nodejs22.x runtime entry, as Lambda keeps it at /var/runtime/index.mjs: the aws-lambda-ric
 * 3.x bundle itself, ending with the call that reads LAMBDA_TASK_ROOT and _HANDLER (after the
 * NODE_OPTIONS preloads ran). It must be one file, not a second module importing the bundle:
 * the runtime's `require` is rooted at this file, and its "Require stack" error messages name it.
 */
export function ric3RuntimeEntry(): string {
  const dir = join(WORK_DIR, 'ric3-runtime');
  const entry = join(dir, 'index.mjs');
  if (existsSync(entry)) return entry;
  const dist = join(PROJECT_NODE_MODULES, 'ric3', 'dist');
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  copyFileSync(join(dist, 'rapid-client.node'), join(staging, 'rapid-client.node'));
  writeFileSync(
    join(staging, 'index.mjs'),
    readFileSync(join(dist, 'index.mjs'), 'utf8') + '\nawait run(process.env.LAMBDA_TASK_ROOT, process.env._HANDLER);\n',
  );
  try {
    renameSync(staging, dir);
  } catch {
    // Another worker won the race: use its copy.
    rmSync(staging, { recursive: true, force: true });
  }
  return entry;
}
