import { createDiag } from '../../../src/diag';
import { reportTotals } from '../../../src/export/shutdown';

const NO_DROPS = { 'over-budget': 0, 'buffer-full': 0, 'export-failed': 0, shutdown: 0, 'sampled-out': 0 };

function reported(dropped: Partial<typeof NO_DROPS>): string[] {
  const lines: string[] = [];
  reportTotals(createDiag('debug', (line) => lines.push(line)), { exported: 12, waiting: 0, dropped: { ...NO_DROPS, ...dropped } }, 40);
  return lines;
}

describe('the account at shutdown', () => {
  it('warns of spans lost, by reason', () => {
    expect(reported({ 'over-budget': 3, shutdown: 1 })).toEqual([
      expect.stringMatching(/WARN shutdown flush took 40 ms; this environment exported 12 spans and dropped 3 over-budget, 1 shutdown$/),
    ]);
  });

  it('says what tail sampling left out without calling it a loss', () => {
    expect(reported({ 'sampled-out': 900 })).toEqual([
      expect.stringMatching(/DEBUG shutdown flush took 40 ms; this environment exported 12 spans \(900 more sampled out\) and dropped none$/),
    ]);
    expect(reported({ 'sampled-out': 900, 'buffer-full': 2 })).toEqual([expect.stringMatching(/WARN .*exported 12 spans \(900 more sampled out\) and dropped 2 buffer-full$/)]);
  });
});
