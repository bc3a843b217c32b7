import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback';

/**
 * A loopback stand-in for AWS that the real `@aws-sdk/client-*` v3 clients talk to through
 * `endpoint: url`: enough of DynamoDB (AWS JSON 1.0), SQS (AWS JSON 1.0 in query-compatible
 * mode), SNS (awsQuery: form in, XML out) and S3 (REST-XML, path-style) for them to succeed,
 * with the checks a client relies on (SQS body MD5s) and the limits an instrumentation can
 * trip over (10 message attributes). Every request is recorded, decoded, with the request id
 * it was answered with.
 */

export type AwsService = 'dynamodb' | 'sqs' | 'sns' | 's3';

/** An SQS / SNS message attribute as the SDK sends it. */
export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

export interface AwsExchange {
  /** From the SigV4 credential scope; undefined for an unsigned or unknown request. */
  readonly service: AwsService | undefined;
  /** `PutItem`, `SendMessage`, `Publish`, `PutObject`… ('' when it could not be told). */
  readonly operation: string;
  readonly method: string;
  /** The request path without the query, still percent-encoded. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** JSON protocols: the parsed body; SNS: the form fields; S3: the bytes. */
  readonly body: unknown;
  /** The id answered in `x-amzn-RequestId` (S3: `x-amz-request-id`). */
  readonly requestId: string;
  /** S3 only: the `x-amz-id-2` answered, which the SDK reports as the extended request id. */
  readonly extendedRequestId: string | undefined;
  readonly status: number;
  /** What a JSON protocol (DynamoDB, SQS) answered, e.g. SendMessage's MessageId; else undefined. */
  readonly answer: unknown;
}

/** One message as it reached SQS or SNS. */
export interface SentMessage {
  readonly body: string;
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
}

export interface AwsEndpointOptions {
  /** Key attribute names per DynamoDB table; a table not listed is keyed by `id`. */
  readonly tableKeys?: Readonly<Record<string, readonly string[]>>;
}

/** SQS and SNS both refuse an 11th message attribute. */
export const MAX_MESSAGE_ATTRIBUTES = 10;
const MAX_BATCH_ENTRIES = 10;
const DEFAULT_TABLE_KEY = ['id'];
const JSON_1_0 = 'application/x-amz-json-1.0';
const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

type DynamoItem = Record<string, unknown>;

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
  /** The value a JSON body was serialised from. */
  readonly json?: unknown;
}

class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class AwsEndpoint {
  private log: AwsExchange[] = [];
  private sequence = 0;
  private readonly idPrefix = randomBytes(4).toString('hex');
  private readonly tables = new Map<string, DynamoItem[]>();
  private readonly objects = new Map<string, { body: Buffer; contentType: string; etag: string }>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly options: AwsEndpointOptions,
  ) {}

  static async start(options: AwsEndpointOptions = {}): Promise<AwsEndpoint> {
    const server = createServer();
    const endpoint = new AwsEndpoint(server, await listenOnLoopback(server), options);
    server.on('request', (req, res) => endpoint.handle(req, res));
    return endpoint;
  }

  /** For the clients' `endpoint` option. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** An SQS queue URL on this endpoint, as GetQueueUrl would give it. */
  queueUrl(name: string): string {
    return `${this.url}/123456789012/${name}`;
  }

  requests(): AwsExchange[] {
    return [...this.log];
  }

  /** Forgets the recorded requests (not the stored items and objects). */
  reset(): void {
    this.log = [];
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private nextRequestId(): string {
    this.sequence += 1;
    return `fake-aws-${this.idPrefix}-${this.sequence}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const service = serviceOf(req.headers);
      const requestId = this.nextRequestId();
      const extendedRequestId = service === 's3' ? randomBytes(24).toString('base64') : undefined;
      let operation = '';
      let body: unknown = raw;
      let reply: Reply;
      try {
        const request = this.decode(service, req, url, raw);
        operation = request.operation;
        body = request.body;
        reply = this.answer(service, operation, req.method ?? '', url, body, req.headers, requestId);
      } catch (error) {
        reply = errorReply(service, error, requestId, url.pathname);
      }
      this.log.push({
        service,
        operation,
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        requestId,
        extendedRequestId,
        status: reply.status,
        answer: reply.json,
      });
      const idHeaders: Record<string, string> =
        service === 's3' && extendedRequestId !== undefined
          ? { 'x-amz-request-id': requestId, 'x-amz-id-2': extendedRequestId }
          : { 'x-amzn-RequestId': requestId };
      const payload = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
      res.writeHead(reply.status, { ...idHeaders, ...reply.headers, 'Content-Length': String(payload.length) });
      res.end(req.method === 'HEAD' ? undefined : payload);
    });
  }

  private decode(service: AwsService | undefined, req: IncomingMessage, url: URL, raw: Buffer): { operation: string; body: unknown } {
    switch (service) {
      case 'dynamodb':
      case 'sqs': {
        const target = headerString(req.headers['x-amz-target']) ?? '';
        const operation = target.slice(target.indexOf('.') + 1);
        return { operation, body: raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as unknown) };
      }
      case 'sns': {
        const form = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
        return { operation: form.Action ?? '', body: form };
      }
      case 's3': {
        const hasKey = url.pathname.split('/').filter((part) => part !== '').length >= 2;
        const operation = !hasKey ? '' : req.method === 'PUT' ? 'PutObject' : req.method === 'GET' ? 'GetObject' : '';
        return { operation, body: raw };
      }
      case undefined:
        return { operation: '', body: raw };
    }
  }

  private answer(
    service: AwsService | undefined,
    operation: string,
    method: string,
    url: URL,
    body: unknown,
    headers: IncomingHttpHeaders,
    requestId: string,
  ): Reply {
    switch (service) {
      case 'dynamodb':
        return jsonReply(this.dynamodb(operation, asRecord(body)));
      case 'sqs':
        return jsonReply(this.sqs(operation, asRecord(body)));
      case 'sns':
        return this.sns(operation, body as Record<string, string>, requestId);
      case 's3':
        return this.s3(operation, url, body as Buffer, headers);
      case undefined:
        throw new AwsError(400, 'UnrecognizedClientException', `unsigned or unknown request: ${method} ${url.pathname}`);
    }
  }

  // ---- DynamoDB ----------------------------------------------------------------------------

  private dynamodb(operation: string, input: Record<string, unknown>): unknown {
    const table = typeof input.TableName === 'string' ? input.TableName : '';
    const keys = this.options.tableKeys?.[table] ?? DEFAULT_TABLE_KEY;
    const items = this.tables.get(table) ?? [];
    this.tables.set(table, items);
    switch (operation) {
      case 'PutItem': {
        const item = asRecord(input.Item);
        if (keys.some((key) => item[key] === undefined)) {
          throw new AwsError(400, 'ValidationException', 'One or more parameter values were invalid: Missing the key in the item');
        }
        const existing = items.findIndex((candidate) => sameKey(candidate, item, keys));
        if (existing >= 0) items.splice(existing, 1);
        items.push(item);
        return {};
      }
      case 'GetItem': {
        const key = asRecord(input.Key);
        if (Object.keys(key).length !== keys.length || keys.some((name) => key[name] === undefined)) {
          throw new AwsError(400, 'ValidationException', 'The provided key element does not match the schema');
        }
        const item = items.find((candidate) => sameKey(candidate, key, keys));
        return item === undefined ? {} : { Item: item };
      }
      case 'Query': {
        const conditions = equalityConditions(input);
        const found = items.filter((item) => conditions.every(([name, value]) => sameValue(item[name], value)));
        return { Items: found, Count: found.length, ScannedCount: found.length };
      }
      default:
        throw new AwsError(400, 'UnknownOperationException', `DynamoDB.${operation} is not implemented here`);
    }
  }

  // ---- SQS ---------------------------------------------------------------------------------

  private sqs(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'SendMessage': {
        const message = checkedMessage(input);
        return { MessageId: randomUUID(), ...messageDigests(message) };
      }
      case 'SendMessageBatch': {
        const entries = Array.isArray(input.Entries) ? input.Entries.map(asRecord) : [];
        if (entries.length === 0) throw new AwsError(400, 'AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
        if (entries.length > MAX_BATCH_ENTRIES) {
          throw new AwsError(400, 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`);
        }
        // Per-entry faults are reported in Failed, with HTTP 200, as SQS does.
        const Successful: unknown[] = [];
        const Failed: unknown[] = [];
        for (const entry of entries) {
          try {
            Successful.push({ Id: entry.Id, MessageId: randomUUID(), ...messageDigests(checkedMessage(entry)) });
          } catch (error) {
            const fault = error instanceof AwsError ? error : new AwsError(400, 'InternalError', String(error));
            Failed.push({ Id: entry.Id, SenderFault: true, Code: fault.code, Message: fault.message });
          }
        }
        return { Successful, Failed };
      }
      default:
        throw new AwsError(400, 'InvalidAction', `SQS.${operation} is not implemented here`);
    }
  }

  // ---- SNS ---------------------------------------------------------------------------------

  private sns(operation: string, form: Record<string, string>, requestId: string): Reply {
    if (operation !== 'Publish') throw new AwsError(400, 'InvalidAction', `SNS.${operation} is not implemented here`);
    const attributes = snsMessageAttributes(form);
    checkAttributeCount(Object.keys(attributes).length);
    const messageId = randomUUID();
    return {
      status: 200,
      headers: { 'Content-Type': 'text/xml' },
      body:
        `<PublishResponse xmlns="${SNS_XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
    };
  }

  // ---- S3 ----------------------------------------------------------------------------------

  private s3(operation: string, url: URL, body: Buffer, headers: IncomingHttpHeaders): Reply {
    const [bucket, ...keyParts] = url.pathname.split('/').filter((part) => part !== '').map(decodeURIComponent);
    const id = `${bucket}/${keyParts.join('/')}`;
    switch (operation) {
      case 'PutObject': {
        if (headerString(headers['content-encoding'])?.includes('aws-chunked')) {
          throw new AwsError(501, 'NotImplemented', 'aws-chunked uploads (streamed bodies) are not decoded here; send a string or Buffer');
        }
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        this.objects.set(id, { body, contentType: headerString(headers['content-type']) ?? 'binary/octet-stream', etag });
        return { status: 200, headers: { ETag: etag }, body: '' };
      }
      case 'GetObject': {
        const object = this.objects.get(id);
        if (object === undefined) throw new AwsError(404, 'NoSuchKey', 'The specified key does not exist.');
        return { status: 200, headers: { ETag: object.etag, 'Content-Type': object.contentType }, body: object.body };
      }
      default:
        throw new AwsError(501, 'NotImplemented', `S3 ${url.pathname} is not implemented here`);
    }
  }
}

/**
 * The messages one recorded SendMessage, SendMessageBatch or Publish carried, with their
 * attributes decoded from either wire format; [] for any other request.
 */
export function sentMessages(exchange: AwsExchange): SentMessage[] {
  if (exchange.service === 'sqs' && exchange.operation === 'SendMessage') return [sqsMessage(asRecord(exchange.body))];
  if (exchange.service === 'sqs' && exchange.operation === 'SendMessageBatch') {
    const entries = asRecord(exchange.body).Entries;
    return Array.isArray(entries) ? entries.map((entry) => sqsMessage(asRecord(entry))) : [];
  }
  if (exchange.service === 'sns' && exchange.operation === 'Publish') {
    const form = exchange.body as Record<string, string>;
    return [{ body: form.Message ?? '', attributes: snsMessageAttributes(form) }];
  }
  return [];
}

// ---- helpers ---------------------------------------------------------------------------------

/** `Credential=AKID/20240101/us-east-1/dynamodb/aws4_request` names the service the SDK signed for. */
function serviceOf(headers: IncomingHttpHeaders): AwsService | undefined {
  const match = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(headerString(headers.authorization) ?? '');
  const name = match?.[1];
  return name === 'dynamodb' || name === 'sqs' || name === 'sns' || name === 's3' ? name : undefined;
}

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function jsonReply(json: unknown): Reply {
  return { status: 200, headers: { 'Content-Type': JSON_1_0 }, body: JSON.stringify(json), json };
}

function errorReply(service: AwsService | undefined, error: unknown, requestId: string, resource: string): Reply {
  const fault = error instanceof AwsError ? error : new AwsError(500, 'InternalFailure', error instanceof Error ? error.message : String(error));
  const side = fault.status < 500 ? 'Sender' : 'Receiver';
  switch (service) {
    case 'sns':
      return {
        status: fault.status,
        headers: { 'Content-Type': 'text/xml' },
        body:
          `<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>${side}</Type><Code>${fault.code}</Code>` +
          `<Message>${escapeXml(fault.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 's3':
      return {
        status: fault.status,
        headers: { 'Content-Type': 'application/xml' },
        body:
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>${escapeXml(fault.message)}</Message>` +
          `<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`,
      };
    case 'sqs':
      // The SDK sends x-amzn-query-mode: true; SQS then names the query-protocol error code here.
      return {
        status: fault.status,
        headers: { 'Content-Type': JSON_1_0, 'x-amzn-query-error': `${fault.code};${side}` },
        body: JSON.stringify({ __type: `com.amazonaws.sqs#${fault.code}`, message: fault.message }),
      };
    case 'dynamodb':
    case undefined:
      return {
        status: fault.status,
        headers: { 'Content-Type': JSON_1_0 },
        body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${fault.code}`, message: fault.message }),
      };
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function checkAttributeCount(count: number): void {
  if (count > MAX_MESSAGE_ATTRIBUTES) {
    throw new AwsError(400, 'InvalidParameterValue', `Number of message attributes [${count}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
}

function sqsMessage(input: Record<string, unknown>): SentMessage {
  const attributes: Record<string, MessageAttribute> = {};
  for (const [name, value] of Object.entries(asRecord(input.MessageAttributes))) {
    const v = asRecord(value);
    attributes[name] = {
      DataType: String(v.DataType ?? ''),
      ...(typeof v.StringValue === 'string' ? { StringValue: v.StringValue } : {}),
      ...(typeof v.BinaryValue === 'string' ? { BinaryValue: v.BinaryValue } : {}),
    };
  }
  return { body: typeof input.MessageBody === 'string' ? input.MessageBody : '', attributes };
}

function checkedMessage(input: Record<string, unknown>): SentMessage {
  const message = sqsMessage(input);
  if (message.body === '') throw new AwsError(400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
  checkAttributeCount(Object.keys(message.attributes).length);
  return message;
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`. */
function snsMessageAttributes(form: Record<string, string>): Record<string, MessageAttribute> {
  const attributes: Record<string, MessageAttribute> = {};
  for (let n = 1; form[`MessageAttributes.entry.${n}.Name`] !== undefined; n++) {
    const prefix = `MessageAttributes.entry.${n}.Value.`;
    const stringValue = form[`${prefix}StringValue`];
    const binaryValue = form[`${prefix}BinaryValue`];
    attributes[form[`MessageAttributes.entry.${n}.Name`]] = {
      DataType: form[`${prefix}DataType`] ?? '',
      ...(stringValue !== undefined ? { StringValue: stringValue } : {}),
      ...(binaryValue !== undefined ? { BinaryValue: binaryValue } : {}),
    };
  }
  return attributes;
}

function md5Hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

/** MD5OfMessageBody (which the SDK checks) and, when there are attributes, MD5OfMessageAttributes. */
function messageDigests(message: SentMessage): { MD5OfMessageBody: string; MD5OfMessageAttributes?: string } {
  const names = Object.keys(message.attributes);
  if (names.length === 0) return { MD5OfMessageBody: md5Hex(message.body) };
  return { MD5OfMessageBody: md5Hex(message.body), MD5OfMessageAttributes: md5Hex(attributesDigestInput(message.attributes)) };
}

/**
 * SQS' documented encoding for MD5OfMessageAttributes: per attribute, sorted by name, the
 * length-prefixed name and data type, a transport byte (1 string, 2 binary), the length-prefixed value.
 */
function attributesDigestInput(attributes: Readonly<Record<string, MessageAttribute>>): Buffer {
  const parts: Buffer[] = [];
  const prefixed = (bytes: Buffer): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name];
    prefixed(Buffer.from(name, 'utf8'));
    prefixed(Buffer.from(attribute.DataType, 'utf8'));
    const binary = attribute.BinaryValue !== undefined;
    parts.push(Buffer.from([binary ? 2 : 1]));
    prefixed(binary ? Buffer.from(attribute.BinaryValue ?? '', 'base64') : Buffer.from(attribute.StringValue ?? '', 'utf8'));
  }
  return Buffer.concat(parts);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

function sameKey(item: DynamoItem, key: DynamoItem, keys: readonly string[]): boolean {
  return keys.every((name) => sameValue(item[name], key[name]));
}

/**
 * `KeyConditionExpression` limited to equalities joined by AND (`#pk = :pk AND sk = :sk`), the
 * part of Query a test needs; anything else is refused rather than answered wrongly.
 */
function equalityConditions(input: Record<string, unknown>): [string, unknown][] {
  const expression = typeof input.KeyConditionExpression === 'string' ? input.KeyConditionExpression : '';
  const names = asRecord(input.ExpressionAttributeNames);
  const values = asRecord(input.ExpressionAttributeValues);
  return expression.split(/\s+AND\s+/i).map((condition) => {
    const match = /^\s*([#\w]+)\s*=\s*(:\w+)\s*$/.exec(condition);
    if (match === null) throw new AwsError(400, 'ValidationException', `only equality key conditions are supported here: ${condition}`);
    const [, name, placeholder] = match;
    const attribute = name.startsWith('#') ? names[name] : name;
    if (typeof attribute !== 'string' || values[placeholder] === undefined) {
      throw new AwsError(400, 'ValidationException', `unresolved name or value in: ${condition}`);
    }
    return [attribute, values[placeholder]];
  });
}
