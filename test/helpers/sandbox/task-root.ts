import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FUNCTION_FIXTURES } from '../paths';

/**
 * Writes `files` (relative path -> content) into a fresh directory under os.tmpdir() and
 * returns its absolute path: a LAMBDA_TASK_ROOT. Sub-folders are created as needed.
 */
export function makeTaskRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lambda-task-'));
  for (const [rel, content] of Object.entries(files)) {
    const target = join(root, rel);
    if (!target.startsWith(root + '/')) throw new Error(`makeTaskRoot: path escapes the task root: ${rel}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return root;
}


/** A fresh copy of the fixture function `name` (a folder under test/fixtures/functions), as a task root. */
export function functionFixture(name: string): string {
  const root = mkdtempSync(join(tmpdir(), `lambda-task-${name}-`));
  cpSync(join(FUNCTION_FIXTURES, name), root, { recursive: true });
  return root;
}
