/**
 * Issue 10: every setting with an empty, malformed, out-of-range or hostile value. Driven by the
 * settings table, so a new setting is covered without touching this file. Each value gives at
 * most one warning line, naming the variable and the value used instead; nothing throws; the
 * resulting Config is still safe to use.
 */
import { loadConfig, type Config, type Env } from '../../../src/config/load';
import { SETTINGS } from '../../../src/config/settings';
import { HOSTILE_VALUES, SECRET } from '../../helpers/hostile-values';

const LAMBDA: Env = { AWS_LAMBDA_FUNCTION_NAME: 'orders', AWS_REGION: 'eu-west-1', _HANDLER: 'index.handler' };

function load(env: Env): { config: Readonly<Config>; warnings: string[] } {
  const warnings: string[] = [];
  return { config: loadConfig(env, (message) => warnings.push(message)), warnings };
}

const defaults = load(LAMBDA).config;

describe.each(Object.keys(SETTINGS))('%s with a hostile value', (name) => {
  it.each(Object.entries(HOSTILE_VALUES))('%s: at most one warning line naming it and the fallback, a safe Config', (_, value) => {
    const { config, warnings } = load({ ...LAMBDA, [name]: value });

    expect(warnings.length).toBeLessThanOrEqual(1);
    for (const warning of warnings) {
      expect(warning.startsWith(name)).toBe(true);
      expect(warning).toMatch(/; using \S/);
      // One printable line: no control character, nothing beyond ASCII but the cut mark, short.
      expect(warning).toMatch(/^[\x20-\x7e…]+$/);
      expect(warning.length).toBeLessThan(500);
      if (SETTINGS[name as keyof typeof SETTINGS].kind === 'headers') expect(warning).not.toContain(SECRET);
    }
    // A value rejected whole leaves the Config as without it.
    if (warnings.length === 1 && !warnings[0].startsWith(`${name}: `) && !warnings[0].includes('": skipping')) {
      expect(config).toEqual(defaults);
    }
    expectSafe(config);
  });
});

/** What the rest of the layer relies on, whatever the environment said. */
function expectSafe(config: Readonly<Config>): void {
  expect(Object.isFrozen(config) && Object.isFrozen(config.otlp) && Object.isFrozen(config.otlp.headers)).toBe(true);
  for (const [header, value] of Object.entries(config.otlp.headers)) {
    expect(header).toMatch(/^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
    expect(value).toMatch(/^[\t\x20-\x7e\u00a0-\u00ff]*$/);
  }
  expect(['http:', 'https:']).toContain(new URL(config.otlp.url).protocol);
  for (const ms of [config.otlp.timeoutMs, config.flushTimeoutMs, config.batchIntervalMs]) {
    expect(ms > 0 && ms <= 15 * 60 * 1000).toBe(true);
  }
  expect(config.sampler.ratio >= 0 && config.sampler.ratio <= 1).toBe(true);
  expect(config.serviceName).toMatch(/^[^\u0000-\u001f\u007f-\u009f]+$/);
}
