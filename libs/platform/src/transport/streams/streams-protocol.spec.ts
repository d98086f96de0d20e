import { loadConfig, ServiceConfig } from '../../config/config';
import {
  decodeRequest,
  encodeRequest,
  parseAutoClaimReply,
  parseInfoList,
  parseReadGroupReply,
  replyStreamKey,
  requestStreamKey,
  serviceOfPattern,
} from './streams-protocol';

describe('Streams transport protocol', () => {
  it('routes a pattern to its service stream, inside the namespace', () => {
    expect(serviceOfPattern('catalog.products.get')).toBe('catalog');
    expect(serviceOfPattern('plain')).toBe('plain');
    expect(requestStreamKey('ns1', 'catalog')).toBe('ns1:rpc:catalog');
    expect(replyStreamKey('ns1', 'abc')).toBe('ns1:rpc-reply:abc');
  });

  it('reads back what it writes, and refuses entries it did not write', () => {
    const request = { packetId: 'p1', pattern: 'catalog.x', replyTo: 'ns:rpc-reply:c', deadline: 1_700_000_000_000, body: '{"meta":{},"data":1}' };
    expect(decodeRequest(encodeRequest(request))).toEqual(request);
    expect(decodeRequest(encodeRequest({ pattern: 'catalog.e', body: '{}' }))).toEqual({ pattern: 'catalog.e', body: '{}' });
    expect(decodeRequest(['junk', '1'])).toBeUndefined();
    expect(decodeRequest(['h', '["a.b","p1",null,null]', 'd', '{}'])).toBeUndefined(); // a request with nowhere to reply
    expect(decodeRequest(['h', '["a.b",null,null,"soon"]', 'd', '{}'])).toBeUndefined();
    expect(decodeRequest(['h', 'not json', 'd', '{}'])).toBeUndefined();
  });

  it('parses XREADGROUP, XAUTOCLAIM and XINFO replies, including deleted entries', () => {
    expect(parseReadGroupReply(null)).toEqual([]);
    expect(
      parseReadGroupReply([
        [
          's',
          [
            ['1-0', ['a', 'b']],
            ['2-0', null],
          ],
        ],
      ]),
    ).toEqual([
      {
        stream: 's',
        entries: [
          { id: '1-0', fields: ['a', 'b'] },
          { id: '2-0', fields: null },
        ],
      },
    ]);
    expect(parseAutoClaimReply(['0-0', [['3-0', ['a', 'b']]], []])).toEqual({ cursor: '0-0', entries: [{ id: '3-0', fields: ['a', 'b'] }] });
    expect(parseAutoClaimReply('bad')).toEqual({ cursor: '0-0', entries: [] });
    expect(parseInfoList([['name', 'replicas', 'pending', 2, 'lag', null]])[0].get('pending')).toBe(2);
  });
});

describe('Transport configuration', () => {
  it('defaults to the Streams transport with bounded tunables', () => {
    const config = loadConfig(ServiceConfig, {});
    expect(config).toMatchObject({
      O2O_TRANSPORT: 'streams',
      O2O_STREAMS_CLAIM_IDLE_MS: 3000,
      O2O_STREAMS_MAX_LENGTH: 10_000,
      O2O_STREAMS_MAX_IN_FLIGHT: 64,
      O2O_MAX_PAYLOAD_BYTES: 1_048_576,
    });
    expect(loadConfig(ServiceConfig, { O2O_TRANSPORT: 'redis', O2O_STREAMS_CLAIM_IDLE_MS: '500' })).toMatchObject({
      O2O_TRANSPORT: 'redis',
      O2O_STREAMS_CLAIM_IDLE_MS: 500,
    });
  });

  it('names each bad variable', () => {
    expect(() => loadConfig(ServiceConfig, { O2O_TRANSPORT: 'kafka' })).toThrow('O2O_TRANSPORT must be streams (Redis Streams) or redis (stock pub/sub)');
    expect(() => loadConfig(ServiceConfig, { O2O_STREAMS_CLAIM_IDLE_MS: 'soon' })).toThrow('O2O_STREAMS_CLAIM_IDLE_MS must be a whole number of milliseconds');
    expect(() => loadConfig(ServiceConfig, { O2O_STREAMS_MAX_LENGTH: '0' })).toThrow('O2O_STREAMS_MAX_LENGTH must be at least 1');
    expect(() => loadConfig(ServiceConfig, { O2O_STREAMS_MAX_IN_FLIGHT: '1.5' })).toThrow('O2O_STREAMS_MAX_IN_FLIGHT must be a whole number of requests');
    expect(() => loadConfig(ServiceConfig, { O2O_MAX_PAYLOAD_BYTES: '100' })).toThrow('O2O_MAX_PAYLOAD_BYTES must be at least 1024');
  });
});
