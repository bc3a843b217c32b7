import type { SecretNameTest } from './secret-keys';

/** What replaces a redacted value, as the semantic conventions spell it for URLs. */
export const REDACTED = 'REDACTED';

/** SigV4 query authentication (`X-Amz-Signature`, `X-Amz-Credential`, …) and Google's. */
const SIGNING_PREFIX = /^x-(?:amz|goog)-/i;

export interface QueryPolicy {
  /** false: every value is redacted (query strings are user data); true: only secret ones. */
  readonly keepValues: boolean;
  readonly isSecret: SecretNameTest;
}

/**
 * A query string (with or without its leading `?`) with values redacted: every value, or with
 * `keepValues` those of signing keys and of names that look like secrets. Names stay, and kept
 * parameters keep their original encoding: only redacted values change.
 */
export function redactQuery(query: string, policy: QueryPolicy): string {
  const lead = query.startsWith('?') ? '?' : '';
  const parts = query.slice(lead.length).split('&');
  for (let i = 0; i < parts.length; i++) {
    const eq = parts[i].indexOf('=');
    if (eq < 0) continue;
    const name = parts[i].slice(0, eq);
    if (!policy.keepValues || mustRedact(decodeName(name), policy.isSecret)) parts[i] = `${name}=${REDACTED}`;
  }
  return lead + parts.join('&');
}

/**
 * A URL as `url.full` may carry it: credentials (`user:pass@`) become `REDACTED:REDACTED@`, the
 * query and fragment go through {@link redactQuery}. Read as text, not parsed with `URL`, which
 * would re-encode what it keeps. Unchanged when there is nothing to redact.
 */
export function redactUrl(url: string, policy: QueryPolicy): string {
  const schemeEnd = url.indexOf('://');
  const authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
  const pathStart = firstOf(url, '/?#', authorityStart);
  const at = url.lastIndexOf('@', pathStart - 1);
  let out = url;
  if (schemeEnd >= 0 && at >= authorityStart) out = `${url.slice(0, authorityStart)}${REDACTED}:${REDACTED}@${url.slice(at + 1)}`;
  const question = out.indexOf('?');
  const hash = out.indexOf('#');
  if (question < 0 && hash < 0) return out;
  const queryEnd = hash < 0 ? out.length : hash;
  const base = out.slice(0, question < 0 || question > queryEnd ? queryEnd : question);
  const query = question < 0 || question > queryEnd ? '' : redactQuery(out.slice(question, queryEnd), policy);
  const fragment = hash < 0 ? '' : `#${redactQuery(out.slice(hash + 1), policy)}`;
  return base + query + fragment;
}

function mustRedact(name: string, isSecret: SecretNameTest): boolean {
  return SIGNING_PREFIX.test(name) || isSecret(name);
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

function firstOf(text: string, chars: string, from: number): number {
  for (let i = from; i < text.length; i++) if (chars.includes(text[i])) return i;
  return text.length;
}
