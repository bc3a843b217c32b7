/** Hostile configuration values, shared by the unit test over the settings table and the sandbox test. */

/** Marks what must never reach a warning: header values may be credentials. */
export const SECRET = 'S3CRET';

/** Values no setting should trust, by what makes each hostile. */
export const HOSTILE_VALUES: Readonly<Record<string, string>> = {
  empty: '',
  whitespace: ' \t  ',
  malformed: '@@@,=,%%%,;;',
  'out of range (negative)': '-1',
  'out of range (huge)': '1e400',
  'out of range (beyond a 32-bit timer)': '99999999999',
  'not a decimal number': '0x10',
  'very long (100 KB)': 'a'.repeat(100 * 1024),
  'very long list (100 KB)': 'a=b,'.repeat(25 * 1024),
  'CR LF injection': `true\r\nX-Injected: ${SECRET}`,
  'NUL and escape sequences': `\u0000\u001b[2J\u001b[31m${SECRET}`,
  'C1 control character': `otlp\u0085${SECRET}`,
  'bidi override': `\u202etxetnoc${SECRET}`,
  'non-UTF-8-looking text (replacement characters)': '\ufffd\ufffd\ufffd',
  'non-UTF-8-looking text (mojibake)': 'Ã©Ã¨Ã¼',
  'lone surrogate': '\ud800x',
  'U+010A (a line feed once written as Latin-1)': `x=${SECRET}\u010a`,
  'percent-encoded CR LF': `x=${SECRET}%0d%0aX-Injected:%201`,
  'not an HTTP token as header name': `bad name=${SECRET}`,
  'framing header': `content-length=${SECRET}`,
  'malformed percent-encoding': `x=${SECRET}%E0%A4%A`,
  'only commas': ',,,,',
  'unsupported upstream words': 'b3,zipkin,grpc,aws-lambda,jaeger_remote',
};
