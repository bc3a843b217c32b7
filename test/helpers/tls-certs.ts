import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir';

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface TestCertificates {
  /** PEM file of the test CA: what NODE_EXTRA_CA_CERTS names to trust it. */
  readonly caFile: string;
  /** For `localhost`, signed by the test CA. */
  readonly localhost: KeyPair;
  /** For another name (`otlp.example.com`), signed by the test CA. */
  readonly otherHost: KeyPair;
  /** For `localhost`, signed by a CA nobody trusts. */
  readonly untrusted: KeyPair;
}

let generated: TestCertificates | undefined;

/**
 * A test CA and three server certificates, made with Debian's `openssl` once per test process
 * (EC P-256 keys: a few milliseconds each). Valid for two days.
 */
export function testCertificates(): TestCertificates {
  if (generated !== undefined) return generated;
  const dir = tempDir('otel-tls-');
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const makeCa = (name: string): void =>
    openssl('req', '-x509', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  const makeLeaf = (name: string, host: string, ca: string): KeyPair => {
    openssl('req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${host}`);
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2',
      '-extfile', `${name}.ext`, '-out', `${name}.pem`);
    return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') };
  };
  makeCa('test-ca');
  makeCa('stranger-ca');
  generated = {
    caFile: join(dir, 'test-ca.pem'),
    localhost: makeLeaf('localhost', 'localhost', 'test-ca'),
    otherHost: makeLeaf('other-host', 'otlp.example.com', 'test-ca'),
    untrusted: makeLeaf('untrusted', 'localhost', 'stranger-ca'),
  };
  return generated;
}
