import { DependencyMonitor, failureReason } from './dependency-monitor';

describe('DependencyMonitor', () => {
  let lines: string[];
  let answers: boolean;
  let probes: number;
  let monitor: DependencyMonitor;

  beforeEach(() => {
    jest.useFakeTimers();
    lines = [];
    answers = false;
    probes = 0;
    monitor = new DependencyMonitor({ log: (m) => lines.push(m), probeEveryMs: 1000 });
    monitor.setProbe('postgres', async () => {
      probes++;
      if (!answers) throw new Error('database "o2o" is not currently accepting connections');
    });
  });
  afterEach(() => {
    monitor.stop();
    jest.useRealTimers();
  });

  it('logs an outage once however many calls fail, and its end once', async () => {
    const err = Object.assign(new Error('database "o2o" is not currently accepting connections'), { code: '55000' });
    for (let i = 0; i < 50; i++) monitor.down('postgres', err);
    expect(monitor.isDown('postgres')).toBe(true);
    expect(monitor.isDown('redis')).toBe(false);
    expect(lines).toEqual(['postgres unreachable: database "o2o" is not currently accepting connections (55000)']);

    await jest.advanceTimersByTimeAsync(3000);
    expect(probes).toBe(3);
    expect(monitor.isDown('postgres')).toBe(true);

    answers = true;
    await jest.advanceTimersByTimeAsync(1000);
    expect(monitor.isDown('postgres')).toBe(false);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^postgres is back after \d+\.\d s$/);

    await jest.advanceTimersByTimeAsync(5000);
    expect(probes).toBe(4); // no probing once it is back
  });

  it('logs a second outage as a new one', () => {
    monitor.down('postgres', new Error('Connection terminated unexpectedly'));
    monitor.up('postgres');
    monitor.up('postgres');
    monitor.down('postgres', new Error('Connection terminated unexpectedly'));
    expect(lines.filter((l) => l.startsWith('postgres unreachable'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('postgres is back'))).toHaveLength(1);
  });

  it('says nothing about a dependency that answers and was never down', () => {
    monitor.up('redis');
    expect(lines).toEqual([]);
  });

  it('keeps probing while a probe hangs, bounded by its timeout', async () => {
    const hanging = new DependencyMonitor({ log: (m) => lines.push(m), probeEveryMs: 1000, probeTimeoutMs: 500 });
    let calls = 0;
    hanging.setProbe('redis', () => {
      calls++;
      return new Promise(() => undefined);
    });
    hanging.down('redis', new Error('Connection is closed.'));
    await jest.advanceTimersByTimeAsync(4500);
    expect(calls).toBe(3);
    expect(hanging.isDown('redis')).toBe(true);
    hanging.stop();
  });

  it('reports when and why', () => {
    jest.setSystemTime(new Date('2025-01-01T00:00:00Z'));
    monitor.down('postgres', new Error('Connection terminated unexpectedly'));
    expect(monitor.outage('postgres')).toEqual({
      dependency: 'postgres',
      since: new Date('2025-01-01T00:00:00Z'),
      reason: 'Connection terminated unexpectedly',
    });
    expect(monitor.outage('redis')).toBeUndefined();
  });
});

describe('failureReason', () => {
  it('reads through a QueryFailedError to the driver error, on one line', () => {
    expect(failureReason({ message: 'ignored', driverError: { message: 'terminating connection due to administrator command', code: '57P01' } })).toBe(
      'terminating connection due to administrator command (57P01)',
    );
    expect(failureReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(
      'connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(failureReason(Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(failureReason(new Error('first\nsecond'))).toBe('first');
  });
});
