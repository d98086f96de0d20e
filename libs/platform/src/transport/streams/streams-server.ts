import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server, WritePacket } from '@nestjs/microservices';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants';
import { ErrorCode, RpcErrorPayload } from '@o2o/contracts';
import Redis, { RedisOptions } from 'ioredis';
import { isObservable } from 'rxjs';
import { registerQueueProbe, RequestQueueStats } from './queue-stats';
import { StreamsContext } from './streams-context';
import {
  logConnectionLossOnce,
  decodeRequest,
  isBusyGroupError,
  isNoGroupError,
  overSizeMessage,
  parseAutoClaimReply,
  parseInfoList,
  parseReadGroupReply,
  RawEntry,
  REPLY_FIELD,
  REQUEST_GROUP,
  requestStreamKey,
  serviceOfPattern,
  StreamRequest,
} from './streams-protocol';

export interface StreamsServerOptions {
  redis: RedisOptions;
  namespace: string;
  /** This replica's name in the consumer group; unique per process. */
  consumerName: string;
  /** A request its replica has left unanswered this long is claimed by another replica. */
  claimIdleMs: number;
  maxPayloadBytes: number;
  /** Requests one replica runs at once; it reads no more until some finish. */
  maxInFlight: number;
  /** How long one blocking read waits before it is issued again. */
  blockMs?: number;
  /** How long close() waits for requests still running. */
  drainMs?: number;
}

export const STREAMS_TRANSPORT = Symbol('o2o-redis-streams');

interface RunningRequest {
  key: string;
  stream: string;
  entryId: string;
  request: StreamRequest;
  renewedAt: number;
  answered: boolean;
  context: StreamsContext;
}

interface RenewLeasesCommand {
  o2oRenewLeases(stream: string, group: string, consumer: string, ...entryIds: string[]): Promise<number>;
}

// Resets the idle time of this replica's own running requests, so that a slow handler is not
// mistaken for a dead replica; a request another replica already claimed is left alone.
const RENEW_LEASES_LUA = `
local renewed = 0
for i = 3, #ARGV do
  local entry = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)[1]
  if entry and entry[2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    renewed = renewed + 1
  end
end
return renewed`;

/**
 * Leases are renewed this many times per claim idle time: at the defaults (3 s) every 500 ms, so
 * even a handler that holds the event loop for 2 s leaves its lease under 2.5 s idle.
 */
const LEASE_RENEWALS_PER_CLAIM_IDLE = 6;

/**
 * Requests read at once. Reading in small batches lets this replica work on one batch while the
 * next is on its way and the last one's replies go out, rather than all three waiting on each other.
 */
const READ_BATCH = 16;

/** Consumers gone quiet this many maintenance rounds' worth are checked for removal. */
const FORGET_CONSUMERS_EVERY_ROUNDS = 30;
const FORGET_CONSUMER_AFTER_MS = 60_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Serves @MessagePattern handlers from Redis Streams. Each service has one request stream, read
 * by all its replicas in one consumer group, so each request goes to exactly one replica. A
 * request is acknowledged (and deleted) together with its reply; one whose replica died is
 * claimed by another after `claimIdleMs`; one whose deadline has passed is dropped unrun.
 */
export class StreamsServer extends Server implements CustomTransportStrategy {
  override transportId = STREAMS_TRANSPORT;

  private readonly log = new Logger(StreamsServer.name);
  private commands?: Redis & RenewLeasesCommand;
  private reader?: Redis;
  private streams: string[] = [];
  private readonly running = new Map<string, RunningRequest>();
  private readonly handlers = new Map<string, MessageHandler | null>();
  private settled: { running: RunningRequest; replyBody: string | undefined }[] = [];
  private listening = false;
  private readLoop?: Promise<void>;
  private maintenanceTimer?: NodeJS.Timeout;
  private leaseTimer?: NodeJS.Timeout;
  private maintaining = false;
  private renewing = false;
  private maintenanceRounds = 0;
  private wakeReader?: () => void;
  private unregisterProbe?: () => void;
  private readonly listeners: { event: string; callback: (...args: unknown[]) => void }[] = [];
  /** Requests dropped because their caller's deadline had passed. */
  droppedExpired = 0;

  constructor(private readonly options: StreamsServerOptions) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.start().then(
      () => callback(),
      (e: unknown) => callback(e),
    );
  }

  async close(): Promise<void> {
    if (!this.commands) return;
    this.listening = false;
    clearInterval(this.maintenanceTimer);
    this.unregisterProbe?.();
    this.wakeReader?.();
    this.reader?.disconnect(); // aborts the blocking read at once
    await this.readLoop;
    const until = Date.now() + (this.options.drainMs ?? 10_000);
    // Leases are still renewed while the running requests finish.
    while (this.running.size > 0 && Date.now() < until) await sleep(20);
    clearInterval(this.leaseTimer);
    if (this.running.size > 0) this.log.warn(`Closing with ${this.running.size} requests still running; other replicas will claim them`);
    this.flushSettled();
    const commands = this.commands;
    this.commands = undefined;
    await within(
      this.forgetSelfIfIdle(commands).catch(() => undefined),
      1000,
    );
    if (
      (await within(
        commands.quit().catch(() => 'failed'),
        2000,
      )) !== 'OK'
    )
      commands.disconnect();
    this._status$.next('disconnected');
  }

  on<EventKey extends string = string, EventCallback extends Function = Function>(event: EventKey, callback: EventCallback): void {
    const listener = (...args: unknown[]) => (callback as unknown as (...a: unknown[]) => void)(...args);
    if (this.commands && this.reader) for (const c of [this.commands, this.reader]) c.on(event, listener);
    else this.listeners.push({ event, callback: listener });
  }

  unwrap<T>(): T {
    if (!this.commands || !this.reader) throw new Error('Not listening yet: call listen() first');
    return [this.commands, this.reader] as unknown as T;
  }

  /** How far the replicas are behind; reported by the health check. */
  async queueStats(): Promise<RequestQueueStats> {
    const commands = this.commands;
    if (!commands) throw new Error('Not listening');
    let lag = 0;
    let pending = 0;
    for (const stream of this.streams) {
      const [groups, length] = await Promise.all([commands.call('XINFO', ['GROUPS', stream]), commands.xlen(stream)]);
      const group = parseInfoList(groups).find((g) => g.get('name') === REQUEST_GROUP);
      const groupPending = Number(group?.get('pending') ?? 0);
      const groupLag = group?.get('lag');
      pending += groupPending;
      // Acknowledged entries are deleted, so the length is what waits plus what runs.
      lag += typeof groupLag === 'number' ? groupLag : Math.max(0, length - groupPending);
    }
    return { lag, pending };
  }

  private async start(): Promise<void> {
    // One stream per service whose patterns this process handles (normally just its own).
    this.streams = [...new Set([...this.messageHandlers.keys()].map((p) => requestStreamKey(this.options.namespace, serviceOfPattern(p))))];
    const commands = this.connection('commands') as Redis & RenewLeasesCommand;
    commands.defineCommand('o2oRenewLeases', { numberOfKeys: 1, lua: RENEW_LEASES_LUA });
    const reader = this.connection('reader');
    this.commands = commands;
    this.reader = reader;
    try {
      await Promise.all([commands.connect(), reader.connect()]);
      await this.ensureGroups();
    } catch (e) {
      commands.disconnect();
      reader.disconnect();
      this.commands = this.reader = undefined;
      throw e;
    }
    this.listening = true;
    if (this.streams.length > 0) this.readLoop = this.readRequests();
    // Leases are renewed on a timer of their own, so that reclaiming, statistics or a slow Redis
    // call never delays them past claimIdleMs: a slow handler is not taken for a dead replica.
    this.leaseTimer = setInterval(() => void this.renewLeases(), Math.max(25, Math.floor(this.options.claimIdleMs / LEASE_RENEWALS_PER_CLAIM_IDLE)));
    this.maintenanceTimer = setInterval(() => void this.maintain(), Math.max(50, Math.floor(this.options.claimIdleMs / 3)));
    this.unregisterProbe = registerQueueProbe(() => this.queueStats());
    this._status$.next('connected');
  }

  private connection(role: string): Redis {
    // No per-command retry limit: after a Redis outage the blocking read and pending replies
    // are sent again on the new connection.
    const redis = new Redis({
      ...this.options.redis,
      lazyConnect: true,
      maxRetriesPerRequest: null,
      connectionName: `${this.options.consumerName}:${role}`,
    });
    logConnectionLossOnce(redis, role, this.log);
    redis.on('ready', () => this._status$.next('connected'));
    redis.on('reconnecting', () => this.listening && this._status$.next('reconnecting'));
    for (const { event, callback } of this.listeners) redis.on(event, callback);
    return redis;
  }

  private async ensureGroups(): Promise<void> {
    const commands = this.commands;
    if (!commands) return;
    for (const stream of this.streams) {
      // From the start of the stream: requests sent before any replica was up are served too.
      await commands.xgroup('CREATE', stream, REQUEST_GROUP, '0', 'MKSTREAM').catch((e: unknown) => {
        if (!isBusyGroupError(e)) throw e;
      });
    }
  }

  private async readRequests(): Promise<void> {
    let failures = 0;
    while (this.listening) {
      const free = await this.freeSlots();
      const reader = this.reader;
      if (!this.listening || !reader) break;
      try {
        const reply = await reader.call('XREADGROUP', [
          'GROUP',
          REQUEST_GROUP,
          this.options.consumerName,
          'COUNT',
          Math.min(READ_BATCH, Math.max(1, Math.floor(free / this.streams.length))),
          'BLOCK',
          this.options.blockMs ?? 2000,
          'STREAMS',
          ...this.streams,
          ...this.streams.map(() => '>'),
        ]);
        failures = 0;
        for (const { stream, entries } of parseReadGroupReply(reply)) for (const entry of entries) this.take(stream, entry, false);
      } catch (e) {
        if (!this.listening) break;
        failures++;
        // Redis came back empty (a restart without persistence): the groups must be made again.
        if (isNoGroupError(e)) await this.ensureGroups().catch(() => undefined);
        else if (failures === 1) this.log.warn(`Reading requests failed: ${messageOf(e)}; retrying`);
        await sleep(Math.min(50 * 2 ** Math.min(failures, 6), 2000));
      }
    }
  }

  /** Backpressure: wait until a handler finishes before reading more. */
  private async freeSlots(): Promise<number> {
    while (this.listening && this.running.size >= this.options.maxInFlight) {
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
    return this.options.maxInFlight - this.running.size;
  }

  private take(stream: string, entry: RawEntry, reclaimed: boolean): void {
    const key = `${stream} ${entry.id}`;
    if (this.running.has(key)) return; // ours and still running, claimed back after a late renewal
    const request = entry.fields ? decodeRequest(entry.fields) : undefined;
    if (!request) {
      if (entry.fields) this.log.warn(`Discarding malformed entry ${entry.id} on ${stream}`);
      this.discard(stream, entry.id);
      return;
    }
    if (request.deadline !== undefined && Date.now() > request.deadline) {
      this.droppedExpired++;
      this.discard(stream, entry.id);
      return;
    }
    const context = new StreamsContext([stream, entry.id, this.options.consumerName, reclaimed]);
    const running: RunningRequest = { key, stream, entryId: entry.id, request, renewedAt: Date.now(), answered: false, context };
    this.running.set(key, running);
    void this.run(running);
  }

  private async run(running: RunningRequest): Promise<void> {
    const { request, context } = running;
    try {
      const bytes = Buffer.byteLength(request.body);
      if (bytes > this.options.maxPayloadBytes) {
        const err: RpcErrorPayload = {
          code: ErrorCode.BadInput,
          message: overSizeMessage(`The request to ${request.pattern}`, bytes, this.options.maxPayloadBytes),
        };
        return await this.answer(running, { err });
      }
      const data: unknown = JSON.parse(request.body);
      if (request.packetId === undefined) {
        await this.handleEvent(request.pattern, { pattern: request.pattern, data }, context);
        return this.settle(running, undefined);
      }
      const handler = this.handlerOf(request.pattern);
      if (!handler) return await this.answer(running, { err: NO_MESSAGE_HANDLER });
      this.onProcessingStartHook(this.transportId, context, async () => {
        try {
          const result: unknown = await handler(data, context);
          // Most handlers answer one value: it goes out at once, without an observable around it.
          if (isObservable(result)) this.send(this.transformToObservable(result), (packet) => this.answer(running, packet));
          else await this.answer(running, { response: await result, isDisposed: true });
        } catch (e) {
          await this.answer(running, { err: this.internalError(e) });
        }
      });
    } catch (e) {
      await this.answer(running, { err: this.internalError(e) });
    }
  }

  /** Nest's look-up tries JSON.parse on every pattern and throws for plain ones: done once per pattern here. */
  private handlerOf(pattern: string): MessageHandler | null {
    let handler = this.handlers.get(pattern);
    if (handler === undefined) {
      handler = this.getHandlerByPattern(pattern);
      this.handlers.set(pattern, handler);
    }
    return handler;
  }

  private internalError(e: unknown): RpcErrorPayload {
    this.log.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return { code: ErrorCode.Internal, message: 'Internal error' };
  }

  /** Publishes a reply; the final one goes out in one transaction with the acknowledgement. */
  private async answer(running: RunningRequest, packet: WritePacket): Promise<void> {
    const { request } = running;
    if (running.answered) return;
    if (request.packetId === undefined || request.replyTo === undefined) return this.settle(running, undefined); // an event: no reply
    let final = packet.isDisposed === true || packet.err !== undefined;
    let body: string;
    try {
      body = JSON.stringify({ ...packet, id: request.packetId, isDisposed: final || undefined });
    } catch (e) {
      body = JSON.stringify({ id: request.packetId, err: this.internalError(e), isDisposed: true });
      final = true;
    }
    const bytes = Buffer.byteLength(body);
    if (bytes > this.options.maxPayloadBytes) {
      const err: RpcErrorPayload = {
        code: ErrorCode.Internal,
        message: overSizeMessage(`The reply to ${request.pattern}`, bytes, this.options.maxPayloadBytes),
      };
      body = JSON.stringify({ id: request.packetId, err, isDisposed: true });
      final = true;
    }
    const commands = this.commands;
    if (!final) {
      await commands
        ?.xadd(request.replyTo, 'NOMKSTREAM', '*', REPLY_FIELD, body)
        .catch((e: unknown) => this.log.warn(`Reply to ${request.pattern} failed: ${messageOf(e)}`));
      return;
    }
    this.settle(running, body);
  }

  /** Frees the slot and acknowledges the request, with its reply if it has one. */
  private settle(running: RunningRequest, replyBody: string | undefined): void {
    running.answered = true;
    this.running.delete(running.key);
    this.wakeReader?.();
    this.onProcessingEndHook?.(this.transportId, running.context);
    this.settled.push({ running, replyBody });
    if (this.settled.length === 1) process.nextTick(() => this.flushSettled());
  }

  /**
   * Sends the replies and acknowledgements of every request finished in this run of callbacks in
   * one pipeline, replies first: the replies for one caller go as one stream entry, and under load
   * a handful of commands serve many requests. A replica that dies between the two has its
   * requests claimed and run again, and the request ledger answers them as before.
   */
  private flushSettled(): void {
    const batch = this.settled;
    this.settled = [];
    const commands = this.commands;
    if (!commands || batch.length === 0) return;
    const pipeline = commands.pipeline();
    const repliesByCaller = new Map<string, string[]>();
    const idsByStream = new Map<string, string[]>();
    for (const { running, replyBody } of batch) {
      const replyTo = running.request.replyTo;
      if (replyBody !== undefined && replyTo !== undefined) {
        const fields = repliesByCaller.get(replyTo);
        if (fields) fields.push(REPLY_FIELD, replyBody);
        else repliesByCaller.set(replyTo, [REPLY_FIELD, replyBody]);
      }
      const ids = idsByStream.get(running.stream);
      if (ids) ids.push(running.entryId);
      else idsByStream.set(running.stream, [running.entryId]);
    }
    // NOMKSTREAM: a caller whose reply stream has gone (it died, its stream expired) gets no new one.
    for (const [replyTo, fields] of repliesByCaller) pipeline.xadd(replyTo, 'NOMKSTREAM', '*', ...fields);
    for (const [stream, ids] of idsByStream) pipeline.xack(stream, REQUEST_GROUP, ...ids).xdel(stream, ...ids);
    pipeline.exec().catch((e: unknown) => this.log.warn(`Acknowledging ${batch.length} requests failed: ${messageOf(e)}`));
  }

  /** Acknowledges and deletes an entry that will not be run. */
  private discard(stream: string, entryId: string): void {
    this.commands
      ?.multi()
      .xack(stream, REQUEST_GROUP, entryId)
      .xdel(stream, entryId)
      .exec()
      .catch((e: unknown) => this.log.warn(`Discarding ${entryId} failed: ${messageOf(e)}`));
  }

  private async maintain(): Promise<void> {
    if (this.maintaining || !this.listening || this.commands?.status !== 'ready') return;
    this.maintaining = true;
    try {
      await this.reclaimAbandoned();
      if (++this.maintenanceRounds % FORGET_CONSUMERS_EVERY_ROUNDS === 0) await this.forgetIdleConsumers();
    } catch (e) {
      if (isNoGroupError(e)) await this.ensureGroups().catch(() => undefined);
      else this.log.warn(`Stream maintenance failed: ${messageOf(e)}`);
    } finally {
      this.maintaining = false;
    }
  }

  private async renewLeases(): Promise<void> {
    const commands = this.commands;
    if (this.renewing || !commands || commands.status !== 'ready') return;
    this.renewing = true;
    try {
      // Every tick renews what has run for over half a tick, so no lease goes two ticks unrenewed.
      const renewBefore = Date.now() - this.options.claimIdleMs / LEASE_RENEWALS_PER_CLAIM_IDLE / 2;
      const due = new Map<string, RunningRequest[]>();
      for (const r of this.running.values()) if (r.renewedAt <= renewBefore) due.set(r.stream, [...(due.get(r.stream) ?? []), r]);
      await Promise.all(
        [...due].map(async ([stream, requests]) => {
          const sentAt = Date.now();
          await commands.o2oRenewLeases(stream, REQUEST_GROUP, this.options.consumerName, ...requests.map((r) => r.entryId));
          for (const r of requests) r.renewedAt = sentAt;
        }),
      );
    } catch (e) {
      this.log.warn(`Renewing leases failed: ${messageOf(e)}`);
    } finally {
      this.renewing = false;
    }
  }

  /** Takes over requests whose replica stopped answering (XAUTOCLAIM), as far as free slots allow. */
  private async reclaimAbandoned(): Promise<void> {
    const commands = this.commands;
    if (!commands) return;
    for (const stream of this.streams) {
      let cursor = '0-0';
      for (let round = 0; round < 10; round++) {
        // Free slots may be taken by the blocking read meanwhile: the bound is soft, at most twice.
        const free = this.options.maxInFlight - this.running.size;
        if (free <= 0 || !this.listening) return;
        const reply = await commands.call('XAUTOCLAIM', [stream, REQUEST_GROUP, this.options.consumerName, this.options.claimIdleMs, cursor, 'COUNT', free]);
        const claimed = parseAutoClaimReply(reply);
        if (claimed.entries.length > 0) this.log.warn(`Claimed ${claimed.entries.length} requests abandoned on ${stream}`);
        for (const entry of claimed.entries) this.take(stream, entry, true);
        cursor = claimed.cursor;
        if (cursor === '0-0') break;
      }
    }
  }

  /** Removes consumers of replicas long gone, once nothing is pending on them. */
  private async forgetIdleConsumers(): Promise<void> {
    const commands = this.commands;
    if (!commands) return;
    const idleLimit = Math.max(FORGET_CONSUMER_AFTER_MS, this.options.claimIdleMs * 10);
    for (const stream of this.streams) {
      const consumers = parseInfoList(await commands.call('XINFO', ['CONSUMERS', stream, REQUEST_GROUP]));
      for (const c of consumers) {
        const name = c.get('name');
        if (typeof name !== 'string' || name === this.options.consumerName) continue;
        if (Number(c.get('pending')) === 0 && Number(c.get('idle')) > idleLimit) await commands.xgroup('DELCONSUMER', stream, REQUEST_GROUP, name);
      }
    }
  }

  private async forgetSelfIfIdle(commands: Redis): Promise<void> {
    for (const stream of this.streams) {
      const mine = await commands.xpending(stream, REQUEST_GROUP, '-', '+', 1, this.options.consumerName);
      if (Array.isArray(mine) && mine.length === 0) await commands.xgroup('DELCONSUMER', stream, REQUEST_GROUP, this.options.consumerName);
    }
  }
}
