import { Writable } from 'node:stream';
import { requestContext } from './context';
import { createLogger } from './logger';
import { maskPhonesInText } from './phone';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, stream };
}

describe('phone masking', () => {
  it('masks numbers inside text but not longer digit runs', () => {
    expect(maskPhonesInText('call 13812345678 now')).toBe('call 138****5678 now');
    expect(maskPhonesInText('order 2013812345678901')).toBe('order 2013812345678901');
  });
});

describe('createLogger', () => {
  it('writes JSON with the service, the correlation id and no phone numbers', async () => {
    const { lines, stream } = capture();
    const logger = createLogger('booking', 'info', stream);
    requestContext.run({ correlationId: 'corr-1' }, () => {
      logger.info({ customer: { phone: '13812345678' }, note: 'ring 13987654321' }, 'booking for 13812345678');
    });
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    const text = JSON.stringify(lines[0]);
    expect(text).not.toMatch(/13812345678|13987654321/);
    expect(lines[0]).toMatchObject({ service: 'booking', correlationId: 'corr-1', msg: 'booking for 138****5678', customer: { phone: '138****5678' } });
  });
});
