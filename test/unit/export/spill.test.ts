import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Spill } from '../../../src/export/spill';
import { tempDir } from '../../helpers/temp-dir';

const fresh = () => {
  const dir = join(tempDir('spill-test-'), 'lambda-otel-preload');
  return { dir, spill: new Spill(dir) };
};

describe('bodies kept on disk by a dying process', () => {
  it('are found by the next one, oldest first, until forgotten', () => {
    const { dir, spill } = fresh();
    const first = spill.keep(Buffer.from('first'));
    const second = spill.keep(Buffer.from('second'));
    const next = new Spill(dir);
    expect(next.waiting().map((w) => w.body.toString())).toEqual(['first', 'second']);
    next.forget(first as string);
    expect(next.waiting().map((w) => w.path)).toEqual([second]);
  });

  it('keep at most 16: the oldest go first', () => {
    const { dir, spill } = fresh();
    for (let n = 0; n < 20; n++) spill.keep(Buffer.from(String(n)));
    expect(readdirSync(dir)).toHaveLength(16);
    expect(spill.waiting().map((w) => w.body.toString())).toEqual(Array.from({ length: 16 }, (_, n) => String(n + 4)));
  });

  it('never throw: nothing kept where nothing can be written, nothing waiting where nothing was', () => {
    // A file where the temporary folder should be: nothing can be created under it.
    const file = join(tempDir('spill-test-'), 'not-a-folder');
    writeFileSync(file, '');
    const nowhere = new Spill(join(file, 'lambda-otel-preload'));
    expect(nowhere.keep(Buffer.from('x'))).toBeUndefined();
    expect(nowhere.waiting()).toEqual([]);
    expect(() => nowhere.forget(join(file, 'x.otlp'))).not.toThrow();
  });
});
