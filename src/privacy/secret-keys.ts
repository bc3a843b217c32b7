/**
 * Which names hold secrets: object keys in a captured payload, header names, query parameters.
 * A name is compared without case and without the separators people put between words
 * (`X-Api-Key`, `api_key` and `apiKey` all read `apikey`), so one word covers every spelling.
 * Only names are tested, never values: a value is replaced whatever it looks like.
 */
export type SecretNameTest = (name: string) => boolean;

/**
 * Words that mark a secret wherever they appear in a name, then short words that do only as the
 * whole name (`pin`, not `shipping`) or at its end (`x-auth`, `basic_auth`, not `author`).
 */
const DEFAULT_SECRET_NAME =
  /password|passwd|passphrase|secret|token|authori[sz]ation|cookie|apikey|credential|session|privatekey|accesskey|signature|jwt|bearer|cvv|cardnumber|auth$|^(?:pass|pwd|sig|otp|pin|ssn)$/;
const SEPARATORS = /[-_.\s]/g;
/** Longer names are compared by their start: enough for any real key, bounded for a hostile one. */
const MAX_NAME_LENGTH = 256;
/**
 * Answers remembered per name: a payload repeats its keys (every record of a batch has the same
 * ones), and a lookup costs a tenth of a test. Emptied when full, so it stays small whatever comes.
 */
const MAX_REMEMBERED = 1024;

/** Lower case without separators: the form both sides of a comparison take. */
export function normaliseName(name: string): string {
  return name.slice(0, MAX_NAME_LENGTH).toLowerCase().replace(SEPARATORS, '');
}

/**
 * The test for secret names: the default words, plus the user's (LAMBDA_OTEL_REDACT_KEYS), each
 * matching a name that contains it. Plain words rather than a regular expression: a pattern the
 * user writes could backtrack for seconds on a hostile key, and words need no escaping.
 */
export function secretNames(extraWords: readonly string[]): SecretNameTest {
  const extra = extraWords.map(normaliseName).filter((word) => word !== '');
  const remembered = new Map<string, boolean>();
  return (name) => {
    let secret = remembered.get(name);
    if (secret === undefined) {
      const normalised = normaliseName(name);
      secret = DEFAULT_SECRET_NAME.test(normalised) || extra.some((word) => normalised.includes(word));
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      if (name.length <= MAX_NAME_LENGTH) remembered.set(name, secret);
    }
    return secret;
  };
}
