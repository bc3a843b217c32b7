/**
 * Issue 10, configuration: a function started with a hostile value in every setting at once
 * answers exactly as without the layer, and the layer prints at most one line per variable.
 */
import { SETTINGS } from '../../src/config/settings';
import { HOSTILE_VALUES } from '../helpers/hostile-values';
import { comparable, withLayer } from '../helpers/layer';
import { runtimes, withSandbox, type InvokeResult, type Sandbox } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';

const EVENTS = [{ n: 1 }, { fail: true }, { n: 2 }];

/**
 * Each setting gets one of the hostile values in turn (blank ones left out: they are silent by
 * design). An environment cannot hold NUL, so it is dropped from the values that carry one.
 */
function hostileEnvironment(): Record<string, string> {
  const values = Object.values(HOSTILE_VALUES)
    .map((value) => value.replaceAll('\u0000', ''))
    .filter((value) => value.trim() !== '');
  return Object.fromEntries(Object.keys(SETTINGS).map((name, i) => [name, values[i % values.length]]));
}

async function invokeAll(sandbox: Sandbox): Promise<InvokeResult[]> {
  const results: InvokeResult[] = [];
  for (const event of EVENTS) results.push(await sandbox.invoke(event));
  return results;
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  it('answers as without the layer; the layer prints at most one line per variable', async () => {
    const taskRoot = functionFixture('echo');
    const without = await withSandbox({ runtime, taskRoot, handler: 'index.handler' }, invokeAll);
    let logs = '';
    const traced = await withLayer({ runtime, taskRoot, handler: 'index.handler', env: hostileEnvironment() }, async (sandbox) => {
      const results = await invokeAll(sandbox);
      logs = sandbox.logs();
      return results;
    });

    expect(traced.map(comparable)).toEqual(without.map(comparable));
    expect(traced.map((r) => r.kind)).toEqual(['success', 'error', 'success']);
    expect(logs.match(/echo handler ran/g)).toHaveLength(EVENTS.length);

    const layerLines = logs.split('\n').filter((line) => line.startsWith('[lambda-otel-preload]'));
    const perVariable = Object.keys(SETTINGS).map((name) => ({
      name,
      lines: layerLines.filter((line) => new RegExp(`^\\[lambda-otel-preload\\] [A-Z]+ ${name}[=: ]`).test(line)).length,
    }));
    expect(perVariable.filter(({ lines }) => lines > 1)).toEqual([]);
    // Most values are refused outright; every warning names its variable first.
    expect(perVariable.filter(({ lines }) => lines === 1).length).toBeGreaterThan(Object.keys(SETTINGS).length / 2);
    // Besides those, at most the export's own failure: the hostile endpoints fell back to the
    // default one, where nothing listens.
    const other = layerLines.filter((line) => !Object.keys(SETTINGS).some((name) => line.includes(` ${name}`)));
    for (const line of other) expect(line).toMatch(/ WARN export to http:\/\/localhost:4318\/v1\/traces failed /);
    expect(other.length).toBeLessThanOrEqual(1);
  });
});
