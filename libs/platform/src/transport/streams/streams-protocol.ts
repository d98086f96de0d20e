import type { Logger } from '@nestjs/common';
import type { WritePacket } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { ErrorCode, RpcErrorPayload } from '@o2o/contracts';

/** The one consumer group on each request stream: all replicas of the service read in it. */
export const REQUEST_GROUP = 'replicas';

/** Requests for one service travel on one stream, shared by all its replicas. */
export const requestStreamKey = (namespace: string, service: string): string => `${namespace}:rpc:${service}`;

/**
 * Each client reads its replies from a stream of its own. Unlike a pub/sub channel, a reply
 * written while the client is reconnecting waits there until it reads again.
 */
export const replyStreamKey = (namespace: string, clientId: string): string => `${namespace}:rpc-reply:${clientId}`;

/** The field of a reply stream entry that holds the reply; entries without it keep the stream alive. */
export const REPLY_FIELD = 'r';

/** Patterns are `<service>.<action>` (see @o2o/contracts); the service part picks the stream. */
export function serviceOfPattern(pattern: string): string {
  const dot = pattern.indexOf('.');
  return dot > 0 ? pattern.slice(0, dot) : pattern;
}

/** One request as it sits in a stream entry. */
export interface StreamRequest {
  /** Nest's packet id; absent for events, which get no reply. */
  packetId?: string;
  pattern: string;
  /** The caller's reply stream. */
  replyTo?: string;
  /** Epoch ms after which the caller has given up; the request is then dropped, not run. */
  deadline?: number;
  /** The packet data as JSON: the { meta, data } envelope. */
  body: string;
}

/** What a server writes to a reply stream. */
export interface StreamReply extends WritePacket {
  id: string;
}

// Two fields per entry: a small JSON header and the body as sent. Fewer fields mean less to write,
// store and parse for every request than one field per attribute.
export const HEADER_FIELD = 'h';
export const BODY_FIELD = 'd';
const HEADER = HEADER_FIELD;
const BODY = BODY_FIELD;

/** The header field of a request: what the server needs besides the body. */
export const requestHeader = (request: Omit<StreamRequest, 'body'>): string =>
  JSON.stringify([request.pattern, request.packetId ?? null, request.replyTo ?? null, request.deadline ?? null]);

export function encodeRequest(request: StreamRequest): string[] {
  return [HEADER, requestHeader(request), BODY, request.body];
}

/** Reads a stream entry's field list back; undefined for an entry this transport did not write. */
export function decodeRequest(fields: readonly string[]): StreamRequest | undefined {
  if (fields.length !== 4 || fields[0] !== HEADER || fields[2] !== BODY) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(fields[1]);
  } catch {
    return undefined;
  }
  if (!Array.isArray(header) || header.length !== 4) return undefined;
  const [pattern, packetId, replyTo, deadline] = header as unknown[];
  if (typeof pattern !== 'string') return undefined;
  if (packetId !== null && typeof packetId !== 'string') return undefined;
  if (replyTo !== null && typeof replyTo !== 'string') return undefined;
  if (packetId !== null && replyTo === null) return undefined; // a request with nowhere to reply
  if (deadline !== null && (typeof deadline !== 'number' || !Number.isFinite(deadline))) return undefined;
  const request: StreamRequest = { pattern, body: fields[3] };
  if (packetId !== null) request.packetId = packetId;
  if (replyTo !== null) request.replyTo = replyTo;
  if (deadline !== null) request.deadline = deadline;
  return request;
}

export interface RawEntry {
  id: string;
  /** Null when the entry was deleted while still pending. */
  fields: string[] | null;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

function parseEntries(value: unknown): RawEntry[] {
  if (!Array.isArray(value)) return [];
  const entries: RawEntry[] = [];
  for (const item of value) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
    entries.push({ id: item[0], fields: isStringArray(item[1]) ? item[1] : null });
  }
  return entries;
}

/** XREADGROUP's reply: null on timeout, else [[stream, entries], ...]. */
export function parseReadGroupReply(value: unknown): { stream: string; entries: RawEntry[] }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => (Array.isArray(item) && typeof item[0] === 'string' ? [{ stream: item[0], entries: parseEntries(item[1]) }] : []));
}

/** XAUTOCLAIM's reply: [next cursor, entries, deleted ids (Redis 7+)]. */
export function parseAutoClaimReply(value: unknown): { cursor: string; entries: RawEntry[] } {
  if (!Array.isArray(value) || typeof value[0] !== 'string') return { cursor: '0-0', entries: [] };
  return { cursor: value[0], entries: parseEntries(value[1]) };
}

/** XINFO GROUPS / CONSUMERS answer flat [name, value, ...] lists, one per group or consumer. */
export function parseInfoList(value: unknown): Map<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (!Array.isArray(item)) return [];
    const map = new Map<string, unknown>();
    for (let i = 0; i + 1 < item.length; i += 2) if (typeof item[i] === 'string') map.set(item[i] as string, item[i + 1]);
    return [map];
  });
}

export const isNoGroupError = (e: unknown): boolean => e instanceof Error && e.message.startsWith('NOGROUP');

export const isBusyGroupError = (e: unknown): boolean => e instanceof Error && e.message.startsWith('BUSYGROUP');

export const overSizeMessage = (what: string, bytes: number, limit: number): string =>
  `${what} is ${bytes} bytes, over the ${limit}-byte limit (O2O_MAX_PAYLOAD_BYTES)`;

export const unavailablePayload = (service: string): RpcErrorPayload => ({
  code: ErrorCode.ServiceUnavailable,
  message: `The ${service} service is unavailable`,
});

export const overloadedPayload = (service: string, waiting: number): RpcErrorPayload => ({
  code: ErrorCode.ServiceUnavailable,
  message: `The ${service} service is overloaded (${waiting} requests waiting); try again later`,
});

export const deadlinePassedPayload = (service: string): RpcErrorPayload => ({
  code: ErrorCode.ServiceTimeout,
  message: `The ${service} service did not answer before the deadline`,
});

/** Logs a connection's loss once and its return once, however many reconnect attempts lie between. */
export function logConnectionLossOnce(redis: Redis, role: string, log: Pick<Logger, 'warn' | 'log'>): void {
  let reported = false;
  redis.on('error', (e: Error) => {
    if (!reported) log.warn(`Redis ${role} connection: ${e.message}; reconnecting`);
    reported = true;
  });
  redis.on('ready', () => {
    if (reported) log.log(`Redis ${role} connection is back`);
    reported = false;
  });
}
