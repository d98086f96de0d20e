import { BOOKING, ConsultationRecordedEvent, ConsultationView, ErrorCode, EVENTS } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import { admin, agent, anonymous, count, counts, Harness, ops, outboxOf, partnerOf, refOf, refusal, startBooking, staffOf } from '../../test/harness';

const body = (change: Record<string, unknown> = {}) => ({
  channel: 'sem',
  campaign: 'kw-sofa',
  agentId: 'agent-7',
  visitorId: 'visitor-1',
  phone: '+86 139-1234-5678',
  city: 'Shanghai',
  style: 'modern',
  budgetFen: 400_000,
  areaSqm: 88.5,
  notes: 'wants a sofa',
  ...change,
});

interface ConsultationRowLite {
  phone: string | null;
  recorded_by: string | null;
  channel: string;
  area_sqm: string | null;
  notes: string | null;
}

describe('consultations (real Postgres and Redis, through the transport)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startBooking();
  });
  afterAll(async () => {
    await h?.close();
  });

  const row = async (id: string): Promise<ConsultationRowLite> => {
    const [r] = await h.ds.query('SELECT phone, recorded_by, channel, area_sqm, notes FROM consultations WHERE id = $1', [id]);
    return r as ConsultationRowLite;
  };

  it('records a consultation with its caller and the phone normalised, and writes consultation.recorded to the outbox', async () => {
    const view = await h.call<ConsultationView>(BOOKING.recordConsultation, body(), { actor: agent });
    expect(view).toMatchObject({ channel: 'sem', city: 'Shanghai', phone: '13912345678', budgetFen: 400_000 });
    expect(await row(view.id)).toEqual({ phone: '13912345678', recorded_by: refOf(agent), channel: 'sem', area_sqm: '88.50', notes: 'wants a sofa' });

    const events = await outboxOf<ConsultationRecordedEvent>(h, EVENTS.consultationRecorded, 'consultationId', view.id);
    expect(events).toEqual([
      {
        consultationId: view.id,
        phone: '13912345678',
        city: 'Shanghai',
        source: { channel: 'sem', campaign: 'kw-sofa', agentId: 'agent-7', visitorId: 'visitor-1' },
        budgetFen: 400_000,
        recordedAt: view.recordedAt,
      },
    ]);
  });

  it('records an anonymous consultation without a caller, and one without a phone', async () => {
    const view = await h.call<ConsultationView>(BOOKING.recordConsultation, body({ phone: '13812345678' }), { actor: anonymous });
    expect((await row(view.id)).recorded_by).toBeNull();

    const bare = await h.call<ConsultationView>(BOOKING.recordConsultation, { channel: 'seo', city: 'Beijing' });
    expect(bare).toMatchObject({ channel: 'seo', city: 'Beijing', phone: null, budgetFen: null });
    expect(await row(bare.id)).toMatchObject({ phone: null, recorded_by: null });
    const [event] = await outboxOf<ConsultationRecordedEvent>(h, EVENTS.consultationRecorded, 'consultationId', bare.id);
    expect(event).toMatchObject({ phone: null, city: 'Beijing', source: { channel: 'seo', campaign: null, agentId: null, visitorId: null }, budgetFen: null });
  });

  it.each([
    ['a bad phone', body({ phone: '12345' }), 'phone'],
    ['a landline', body({ phone: '021-5555-1234' }), 'phone'],
    ['no channel', body({ channel: undefined }), 'channel'],
    ['an unknown channel', body({ channel: 'billboard' }), 'channel'],
    ['no city', body({ city: undefined }), 'city'],
    ['a negative budget', body({ budgetFen: -1 }), 'budgetFen'],
    ['a fractional budget', body({ budgetFen: 10.5 }), 'budgetFen'],
    ['an unknown field', body({ extra: 1 }), 'extra'],
  ])('refuses %s as bad input naming the field, and writes nothing', async (_, data, field) => {
    const before = await counts(h, ['consultations', 'outbox']);
    const r = await refusal(h.call(BOOKING.recordConsultation, data, { actor: agent }));
    expect(r.code).toBe(ErrorCode.BadInput);
    expect(r.fields).toContain(field);
    expect(await counts(h, ['consultations', 'outbox'])).toEqual(before);
  });

  it('records one consultation however often the same request is delivered', async () => {
    const before = await count(h, 'consultations');
    const requestId = `consultation-${newId()}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => h.call<ConsultationView>(BOOKING.recordConsultation, body({ notes: 'once' }), { actor: agent, requestId })),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(await count(h, 'consultations')).toBe(before + 1);
    expect(await count(h, 'outbox', `type = $1 AND payload->>'consultationId' = $2`, [EVENTS.consultationRecorded, answers[0].id])).toBe(1);
  });

  it('is read back by online staff: ops see the phone in full, agents masked; others are refused', async () => {
    const { id } = await h.call<ConsultationView>(BOOKING.recordConsultation, body(), { actor: agent });
    expect(await h.call<ConsultationView>(BOOKING.getConsultation, { id }, { actor: ops })).toMatchObject({ id, phone: '13912345678' });
    expect(await h.call<ConsultationView>(BOOKING.getConsultation, { id }, { actor: admin })).toMatchObject({ id, phone: '13912345678' });
    expect(await h.call<ConsultationView>(BOOKING.getConsultation, { id }, { actor: agent })).toMatchObject({ id, phone: '139****5678' });
    expect((await refusal(h.call(BOOKING.getConsultation, { id }, { actor: anonymous }))).code).toBe(ErrorCode.Forbidden);
    expect((await refusal(h.call(BOOKING.getConsultation, { id }, { actor: partnerOf(newId()) }))).code).toBe(ErrorCode.Forbidden);
    expect((await refusal(h.call(BOOKING.getConsultation, { id }, { actor: staffOf(newId()) }))).code).toBe(ErrorCode.Forbidden);
    expect((await refusal(h.call(BOOKING.getConsultation, { id: newId() }, { actor: ops }))).code).toBe(ErrorCode.NotFound);
    expect((await refusal(h.call(BOOKING.getConsultation, { id: 'nope' }, { actor: ops }))).code).toBe(ErrorCode.BadInput);
  });
});
