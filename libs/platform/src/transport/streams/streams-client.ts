import { Logger } from '@nestjs/common';
import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { ErrorCode, RpcErrorPayload } from '@o2o/contracts';
import Redis, { RedisOptions } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { defer, mergeMap, Observable } from 'rxjs';
import {
  deadlinePassedPayload,
  BODY_FIELD,
  HEADER_FIELD,
  requestHeader,
  logConnectionLossOnce,
  overloadedPayload,
  overSizeMessage,
  parseReadGroupReply,
  REPLY_FIELD,
  replyStreamKey,
  requestStreamKey,
  serviceOfPattern,
  StreamReply,
  StreamRequest,
  unavailablePayload,
} from './streams-protocol';

export interface StreamsClientOptions {
  redis: RedisOptions;
  namespace: string;
  /** Requests waiting on one service's stream beyond which new ones are refused at once. */
  maxStreamLength: number;
  maxPayloadBytes: number;
  /** The deadline given to requests sent without one (plain `send`). */
  defaultTimeoutMs: number;
}

interface EnqueueCommand {
  o2oEnqueue(stream: string, maxLength: number, ...headersAndBodies: string[]): Promise<[number, number]>;
}

// Adds a batch of requests (ARGV: maxLength, then a header and a body per request) unless the
// service already has maxLength requests waiting or running: a service that falls behind makes
// callers fail fast instead of queueing without end. Acknowledged entries are deleted, so the
// stream's length is its backlog; MAXLEN ~ is a safety net. A batch goes in whole or not at all.
const ENQUEUE_LUA = `
local waiting = redis.call('XLEN', KEYS[1])
if waiting >= tonumber(ARGV[1]) then return {0, waiting} end
for i = 2, #ARGV, 2 do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${HEADER_FIELD}', ARGV[i], '${BODY_FIELD}', ARGV[i + 1])
end
return {1, waiting + (#ARGV - 1) / 2}`;

/** Replies later than the deadline by this much are given up on here, if the caller has not. */
const LATE_REPLY_GRACE_MS = 250;
/** The reply stream outlives a client that died by this long, then Redis drops it. */
const REPLY_STREAM_TTL_MS = 60_000;
const REPLY_READ_BLOCK_MS = 1000;
const REPLY_READ_COUNT = 1000;
const REPLY_TRIM_EVERY_MS = 200;
const DEADLINE_SWEEP_MS = 50;
/** Requests sent in one command at most: smaller batches let this process, Redis and the service work at once. */
const MAX_BATCH = 16;

interface Outgoing {
  /** The request's header and body. */
  request: [string, string];
  settle(added: boolean, waiting: number): void;
  fail(e: unknown): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends requests to a service's Redis stream and reads replies from a stream of its own. A client
 * counts as ready only while its reply stream exists and is being read, so a reply is never sent
 * where nobody will read it. Requests sent in one turn of the event loop go out as one batch.
 * Over-size payloads, a full stream and a lost Redis connection fail at once with an RpcErrorPayload.
 */
export class StreamsClient extends ClientProxy {
  private readonly log = new Logger(StreamsClient.name);
  private readonly replyStream: string;
  private commands?: Redis & EnqueueCommand;
  private reader?: Redis;
  private connecting?: Promise<void>;
  private replyStreamReady = false;
  private reading = false;
  private readLoop?: Promise<void>;
  private keepAliveTimer?: NodeJS.Timeout;
  private readonly deadlines = new Map<string, { giveUpAt: number; service: string }>();
  private deadlineSweep?: NodeJS.Timeout;
  private outgoing = new Map<string, Outgoing[]>();

  constructor(private readonly options: StreamsClientOptions) {
    super();
    this.replyStream = replyStreamKey(options.namespace, randomUUID());
  }

  connect(): Promise<void> {
    this.connecting ??= this.open().catch((e: unknown) => {
      this.connecting = undefined;
      throw e;
    });
    return this.connecting;
  }

  async close(): Promise<void> {
    // Let a connection attempt under way finish, so that its connections are closed too.
    const opening = this.connecting;
    this.connecting = undefined;
    await opening?.catch(() => undefined);
    this.reading = false;
    this.replyStreamReady = false;
    clearInterval(this.keepAliveTimer);
    clearInterval(this.deadlineSweep);
    const commands = this.commands;
    const reader = this.reader;
    this.commands = this.reader = undefined;
    reader?.disconnect(); // ends the blocking read at once
    await this.readLoop;
    for (const [id, callback] of this.routingMap) {
      callback({ err: { code: ErrorCode.ServiceUnavailable, message: 'The transport client was closed' }, isDisposed: true });
      this.forget(id);
    }
    await commands?.del(this.replyStream).catch(() => undefined);
    await commands?.quit().catch(() => commands.disconnect());
  }

  unwrap<T>(): T {
    if (!this.commands || !this.reader) throw new Error('Not connected yet: call connect() first');
    return [this.commands, this.reader] as unknown as T;
  }

  /** Sends with an absolute deadline (epoch ms): the service drops the request once it has passed. */
  sendBefore<T>(pattern: string, data: unknown, deadline: number): Observable<T> {
    const request$ = new Observable<T>((observer) => this.publishUntil({ pattern, data }, this.createObserver(observer), deadline));
    return this.commands ? request$ : defer(() => this.connect()).pipe(mergeMap(() => request$));
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    return this.publishUntil(packet, callback, Date.now() + this.options.defaultTimeoutMs);
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const pattern = this.normalizePattern(packet.pattern);
    const body = this.encodeBody(pattern, packet.data);
    if (typeof body !== 'string') throw body;
    const service = serviceOfPattern(pattern);
    this.ready();
    await new Promise<void>((resolve, reject) =>
      this.enqueue(service, [requestHeader({ pattern }), body], {
        settle: (added, waiting) => (added ? resolve() : reject(overloadedPayload(service, waiting))),
        fail: () => reject(unavailablePayload(service)),
      }),
    );
    return undefined as T;
  }

  private publishUntil(partial: ReadPacket, callback: (packet: WritePacket) => void, deadline: number): () => void {
    const packet = this.assignPacketId(partial);
    const pattern = this.normalizePattern(partial.pattern);
    const service = serviceOfPattern(pattern);
    const fail = (err: RpcErrorPayload) => callback({ err, isDisposed: true });
    const body = this.encodeBody(pattern, packet.data);
    if (typeof body !== 'string') {
      fail(body);
      return () => undefined;
    }
    try {
      this.ready();
    } catch {
      fail(unavailablePayload(service));
      return () => undefined;
    }
    this.routingMap.set(packet.id, callback);
    this.deadlines.set(packet.id, { giveUpAt: deadline + LATE_REPLY_GRACE_MS, service });
    const request: StreamRequest = { packetId: packet.id, pattern, replyTo: this.replyStream, deadline, body };
    this.enqueue(service, [requestHeader(request), body], {
      settle: (added, waiting) => added || fail(overloadedPayload(service, waiting)),
      fail: (e) => {
        this.log.warn(`Sending ${pattern} failed: ${e instanceof Error ? e.message : String(e)}`);
        fail(unavailablePayload(service));
      },
    });
    return () => this.forget(packet.id);
  }

  /** Queues a request for this turn's batch to its service's stream. */
  private enqueue(service: string, request: [string, string], handlers: Omit<Outgoing, 'request'>): void {
    const stream = requestStreamKey(this.options.namespace, service);
    const batch = this.outgoing.get(stream);
    if (batch) {
      batch.push({ request, ...handlers });
      if (batch.length >= MAX_BATCH) this.flushOutgoing();
      return;
    }
    this.outgoing.set(stream, [{ request, ...handlers }]);
    // Once the callbacks and promise continuations under way have run: callers answered together send together.
    if (this.outgoing.size === 1) process.nextTick(() => this.flushOutgoing());
  }

  private flushOutgoing(): void {
    const batches = this.outgoing;
    this.outgoing = new Map();
    for (const [stream, batch] of batches) {
      let commands: Redis & EnqueueCommand;
      try {
        commands = this.ready();
      } catch (e) {
        for (const o of batch) o.fail(e);
        continue;
      }
      const args: string[] = [];
      for (const { request } of batch) args.push(request[0], request[1]);
      commands.o2oEnqueue(stream, this.options.maxStreamLength, ...args).then(
        ([added, waiting]) => batch.forEach((o) => o.settle(added === 1, Number(waiting))),
        (e: unknown) => batch.forEach((o) => o.fail(e)),
      );
    }
  }

  /** The packet data as JSON, or the error that refuses it. */
  private encodeBody(pattern: string, data: unknown): string | RpcErrorPayload {
    let body: string | undefined;
    try {
      body = JSON.stringify(data);
    } catch {
      body = undefined;
    }
    if (body === undefined) return { code: ErrorCode.BadInput, message: `The request to ${pattern} cannot be serialized as JSON` };
    const bytes = Buffer.byteLength(body);
    if (bytes > this.options.maxPayloadBytes)
      return { code: ErrorCode.BadInput, message: overSizeMessage(`The request to ${pattern}`, bytes, this.options.maxPayloadBytes) };
    return body;
  }

  /**
   * Both connections up and the reply stream in place, or an error: while Redis is away, or
   * until this client has made its reply stream again after a Redis restart, calls fail at once.
   */
  private ready(): Redis & EnqueueCommand {
    if (this.commands?.status !== 'ready' || this.reader?.status !== 'ready' || !this.replyStreamReady) throw new Error('Redis is not connected');
    return this.commands;
  }

  private forget(id: string): void {
    this.routingMap.delete(id);
    this.deadlines.delete(id);
  }

  /** Fails the calls whose deadline (and grace) has passed; one sweep for all, not a timer per call. */
  private giveUpLate(): void {
    const now = Date.now();
    for (const [id, { giveUpAt, service }] of this.deadlines) {
      if (giveUpAt > now) continue;
      this.routingMap.get(id)?.({ err: deadlinePassedPayload(service), isDisposed: true });
      this.forget(id);
    }
  }

  private onReply(message: string): void {
    let reply: StreamReply;
    try {
      reply = JSON.parse(message) as StreamReply;
    } catch {
      return;
    }
    // A reply for a request given up on (timed out) finds no callback and is ignored.
    this.routingMap.get(reply.id)?.({ err: reply.err, response: reply.response, isDisposed: reply.isDisposed });
  }

  /** Makes the reply stream (again, after a Redis restart) and keeps it from expiring while we live. */
  private async keepReplyStream(): Promise<void> {
    const commands = this.commands;
    if (!commands) return;
    await commands.multi().xadd(this.replyStream, '*', 'alive', '1').pexpire(this.replyStream, REPLY_STREAM_TTL_MS).exec();
  }

  private async readReplies(): Promise<void> {
    let lastId = '0-0';
    let failures = 0;
    let trimmedAt = 0;
    while (this.reading) {
      const reader = this.reader;
      if (!reader) break;
      try {
        const reply = await reader.call('XREAD', ['COUNT', REPLY_READ_COUNT, 'BLOCK', REPLY_READ_BLOCK_MS, 'STREAMS', this.replyStream, lastId]);
        failures = 0;
        for (const { entries } of parseReadGroupReply(reply)) {
          for (const entry of entries) {
            lastId = entry.id;
            const fields = entry.fields ?? [];
            for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === REPLY_FIELD) this.onReply(fields[i + 1]);
          }
        }
        // What has been read is dropped (a few times a second), so the stream holds little more than replies still to read.
        if (reply && Date.now() - trimmedAt >= REPLY_TRIM_EVERY_MS) {
          trimmedAt = Date.now();
          this.commands?.xtrim(this.replyStream, 'MINID', lastId).catch(() => undefined);
        }
      } catch {
        if (!this.reading) break;
        failures++;
        await sleep(Math.min(50 * 2 ** Math.min(failures, 5), 1000));
      }
    }
  }

  private async open(): Promise<void> {
    const commands = this.connection('commands', { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) as Redis & EnqueueCommand;
    commands.defineCommand('o2oEnqueue', { numberOfKeys: 1, lua: ENQUEUE_LUA });
    // No retry limit on the reader: its blocking read is sent again after a reconnect.
    const reader = this.connection('replies', { maxRetriesPerRequest: null });
    commands.on('close', () => (this.replyStreamReady = false));
    commands.on('ready', () => {
      // After a reconnect (perhaps to a Redis that lost everything) the stream is made again before calls resume.
      if (this.commands === commands)
        this.keepReplyStream().then(
          () => (this.replyStreamReady = true),
          () => undefined,
        );
    });
    try {
      await Promise.all([commands.connect(), reader.connect()]);
    } catch (e) {
      commands.disconnect();
      reader.disconnect();
      throw e;
    }
    this.commands = commands;
    this.reader = reader;
    try {
      await this.keepReplyStream();
    } catch (e) {
      this.commands = this.reader = undefined;
      commands.disconnect();
      reader.disconnect();
      throw e;
    }
    this.replyStreamReady = true;
    this.reading = true;
    this.readLoop = this.readReplies();
    this.keepAliveTimer = setInterval(() => void this.keepReplyStream().catch(() => undefined), REPLY_STREAM_TTL_MS / 3);
    this.deadlineSweep = setInterval(() => this.giveUpLate(), DEADLINE_SWEEP_MS);
    this._status$.next('connected');
  }

  private connection(role: string, extra: RedisOptions): Redis {
    const redis = new Redis({ ...this.options.redis, ...extra, lazyConnect: true });
    logConnectionLossOnce(redis, role, this.log);
    return redis;
  }
}
