import { Logger } from '@nestjs/common';
import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { ErrorCode, RpcErrorPayload } from '@o2o/contracts';
import Redis, { RedisOptions } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { defer, mergeMap, Observable } from 'rxjs';
import {
  logConnectionLossOnce,
  deadlinePassedPayload,
  encodeRequest,
  overloadedPayload,
  overSizeMessage,
  replyChannelKey,
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
  o2oEnqueue(stream: string, maxLength: number, ...fields: string[]): Promise<[number, string | number]>;
}

// Adds a request unless the service already has maxLength requests waiting or running: a
// service that falls behind makes callers fail fast instead of queueing without end. Acknowledged
// entries are deleted, so the stream's length is exactly its backlog; MAXLEN ~ is a safety net.
const ENQUEUE_LUA = `
local waiting = redis.call('XLEN', KEYS[1])
if waiting >= tonumber(ARGV[1]) then return {0, waiting} end
return {1, redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, 2))}`;

/** Replies later than the deadline by this much are given up on here, if the caller has not. */
const LATE_REPLY_GRACE_MS = 250;

/**
 * Sends requests to a service's Redis stream and takes replies on a channel of its own. Over-size
 * payloads, a full stream and a lost Redis connection fail at once with an RpcErrorPayload.
 */
export class StreamsClient extends ClientProxy {
  private readonly log = new Logger(StreamsClient.name);
  private readonly replyChannel: string;
  private commands?: Redis & EnqueueCommand;
  private subscriber?: Redis;
  private connecting?: Promise<void>;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: StreamsClientOptions) {
    super();
    this.replyChannel = replyChannelKey(options.namespace, randomUUID());
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
    const connections = [this.commands, this.subscriber];
    this.commands = this.subscriber = undefined;
    for (const [id, callback] of this.routingMap) {
      callback({ err: { code: ErrorCode.ServiceUnavailable, message: 'The transport client was closed' }, isDisposed: true });
      this.forget(id);
    }
    await Promise.all(connections.map((c) => c?.quit().catch(() => c.disconnect())));
  }

  unwrap<T>(): T {
    if (!this.commands || !this.subscriber) throw new Error('Not connected yet: call connect() first');
    return [this.commands, this.subscriber] as unknown as T;
  }

  /** Sends with an absolute deadline (epoch ms): the service drops the request once it has passed. */
  sendBefore<T>(pattern: string, data: unknown, deadline: number): Observable<T> {
    return defer(() => this.connect()).pipe(
      mergeMap(() => new Observable<T>((observer) => this.publishUntil({ pattern, data }, this.createObserver(observer), deadline))),
    );
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    return this.publishUntil(packet, callback, Date.now() + this.options.defaultTimeoutMs);
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const pattern = this.normalizePattern(packet.pattern);
    const body = this.encodeBody(pattern, packet.data);
    if (typeof body !== 'string') throw body;
    const service = serviceOfPattern(pattern);
    const [added, waiting] = await this.ready().o2oEnqueue(this.streamOf(service), this.options.maxStreamLength, ...encodeRequest({ pattern, body }));
    if (added !== 1) throw overloadedPayload(service, Number(waiting));
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
    let commands: Redis & EnqueueCommand;
    try {
      commands = this.ready();
    } catch {
      fail(unavailablePayload(service));
      return () => undefined;
    }
    this.routingMap.set(packet.id, callback);
    const timer = setTimeout(() => fail(deadlinePassedPayload(service)), Math.max(0, deadline - Date.now()) + LATE_REPLY_GRACE_MS);
    this.timers.set(packet.id, timer);
    const request: StreamRequest = { packetId: packet.id, pattern, replyTo: this.replyChannel, deadline, body };
    commands.o2oEnqueue(this.streamOf(service), this.options.maxStreamLength, ...encodeRequest(request)).then(
      ([added, waiting]) => added === 1 || fail(overloadedPayload(service, Number(waiting))),
      (e: unknown) => {
        this.log.warn(`Sending ${pattern} failed: ${e instanceof Error ? e.message : String(e)}`);
        fail(unavailablePayload(service));
      },
    );
    return () => this.forget(packet.id);
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
    if (bytes > this.options.maxPayloadBytes) return { code: ErrorCode.BadInput, message: overSizeMessage(`The request to ${pattern}`, bytes, this.options.maxPayloadBytes) };
    return body;
  }

  /** Both connections up, or an error: while Redis is away, calls fail at once rather than queue. */
  private ready(): Redis & EnqueueCommand {
    if (this.commands?.status !== 'ready' || this.subscriber?.status !== 'ready') throw new Error('Redis is not connected');
    return this.commands;
  }

  private streamOf(service: string): string {
    return requestStreamKey(this.options.namespace, service);
  }

  private forget(id: string): void {
    this.routingMap.delete(id);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
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

  private async open(): Promise<void> {
    const commands = this.connection('commands', { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) as Redis & EnqueueCommand;
    commands.defineCommand('o2oEnqueue', { numberOfKeys: 1, lua: ENQUEUE_LUA });
    // The subscriber re-subscribes by itself after a reconnect.
    const subscriber = this.connection('replies', {});
    subscriber.on('message', (_channel: string, message: string) => this.onReply(message));
    try {
      await Promise.all([commands.connect(), subscriber.connect()]);
      await subscriber.subscribe(this.replyChannel);
    } catch (e) {
      commands.disconnect();
      subscriber.disconnect();
      throw e;
    }
    this.commands = commands;
    this.subscriber = subscriber;
    this._status$.next('connected');
  }

  private connection(role: string, extra: RedisOptions): Redis {
    const redis = new Redis({ ...this.options.redis, ...extra, lazyConnect: true });
    logConnectionLossOnce(redis, role, this.log);
    return redis;
  }
}
