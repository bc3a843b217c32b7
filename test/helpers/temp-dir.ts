import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folders this module's copy made (one copy per jest test file, one per bench run). */
const made: string[] = [];

function removeMade(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// A test run makes hundreds of folders (task roots, certificates, spill folders). Under jest they
// go after the test file that made them; elsewhere (the bench, the demo's helpers) at exit.
if (typeof afterAll === 'function') afterAll(removeMade);
else process.once('exit', removeMade);

/** A new folder in os.tmpdir(), removed once the test file (or the process) is done. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
