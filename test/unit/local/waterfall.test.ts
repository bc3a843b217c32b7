import { PassThrough } from 'node:stream';
import { COLOUR, paintFor, PLAIN, renderWaterfall } from '../../../local/waterfall';
import { sampleSpans, SAMPLE } from '../../helpers/sample-spans';

const ESCAPE = '\x1b[';

describe('the terminal waterfall', () => {
  const plain = renderWaterfall(sampleSpans(), PLAIN);

  it('shows each trace with its service, span count and facts, then its spans in tree order', () => {
    const lines = plain.split('\n');
    const headers = lines.filter((line) => line.startsWith('trace '));
    expect(headers).toEqual([
      expect.stringMatching(/^trace 1: orders-api: GET \/orders\/\{id\} +a{32} +3 spans · 72\.0 ms · cold start$/),
      expect.stringMatching(/^trace 2: orders-api: GET \/orders\/\{id\} +b{32} +2 spans · 10\.0 ms · 2 errors$/),
      expect.stringMatching(/^trace 3: order-worker: process shipments +c{32} +3 spans · 80\.0 ms · cold start$/),
    ]);
    const names = lines.filter((line) => /^ {2,}\S.* (SERVER|CLIENT|PRODUCER|CONSUMER|INTERNAL) /.test(line)).map((line) => line.trim().split(/ +(?:SERVER|CLIENT|PRODUCER|CONSUMER|INTERNAL)/)[0]);
    expect(names).toEqual(['GET /orders/{id}', 'DynamoDB.GetItem', 'shipments send', 'GET /orders/{id}', 'DynamoDB.GetItem', 'init', 'process shipments', 'DynamoDB.PutItem']);
  });

  it('draws bars to the trace\'s scale', () => {
    const bar = (name: string): string => (plain.split('\n').find((line) => line.trim().startsWith(`${name} `) && line.includes('█'))?.match(/█+/) ?? [''])[0];
    // GetItem: 5 to 60 ms of a 72 ms trace, on 40 columns.
    expect(bar('DynamoDB.GetItem').length).toBe(Math.round((55 / 72) * 40));
    expect(bar('GET /orders/{id}').length).toBe(40);
  });

  it('marks errors with their message, cold starts, and links both ways', () => {
    expect(plain).toContain(`✗ ValidationException: ${SAMPLE.errorMessage}`);
    expect(plain.split('\n').filter((line) => line.includes('ERROR'))).toHaveLength(2);
    expect(plain).toContain('↗ links to shipments send in trace 1');
    expect(plain).toContain('↖ linked from process shipments in trace 3');
    expect(plain.match(/cold start/g)?.length).toBe(4);
  });

  it('is plain text unless the output is a terminal, and NO_COLOR turns colour off there too', () => {
    expect(plain).not.toContain(ESCAPE);
    expect(renderWaterfall(sampleSpans(), COLOUR)).toContain(ESCAPE);
    const terminal = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
    const pipe = new PassThrough() as unknown as NodeJS.WriteStream;
    expect(paintFor(terminal, {})).toBe(COLOUR);
    expect(paintFor(pipe, {})).toBe(PLAIN);
    expect(paintFor(terminal, { NO_COLOR: '1' })).toBe(PLAIN);
  });
});
