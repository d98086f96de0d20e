import { ErrorCode, LEADS, LeadView } from '@o2o/contracts';
import { DomainError } from '@o2o/platform';
import { ServiceHarness } from '@o2o/testing';
import { DataSource } from 'typeorm';
import { agent, ops, startLeads } from '../../test/harness';

const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : String(e));

describe('leads (real Postgres and Redis, through the transport)', () => {
  let h: ServiceHarness;
  const count = async () => Number((await h.get(DataSource).query('SELECT count(*)::int AS n FROM leads'))[0].n);

  beforeAll(async () => {
    h = await startLeads();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a lead as a draft, and reads it back', async () => {
    const created = await h.call<LeadView>(LEADS.createLead, { name: 'First' }, { actor: ops });
    expect(created).toMatchObject({ name: 'First', status: 'draft' });
    expect(await h.call(LEADS.getLead, { id: created.id })).toEqual(created);
  });

  it('refuses bad input and a caller without the role, and writes nothing', async () => {
    const before = await count();
    expect(await h.call(LEADS.createLead, { name: '' }, { actor: ops }).catch(codeOf)).toBe(ErrorCode.BadInput);
    expect(await h.call(LEADS.createLead, { name: 'x', extra: 1 }, { actor: ops }).catch(codeOf)).toBe(ErrorCode.BadInput);
    expect(await h.call(LEADS.createLead, { name: 'x' }, { actor: agent }).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await count()).toBe(before);
  });

  it('does a command once however often its request is delivered', async () => {
    const before = await count();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => h.call<LeadView>(LEADS.createLead, { name: 'Once' }, { actor: ops, requestId: 'create-once' })),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  it('moves a status only as the rules allow; an illegal move is a conflict', async () => {
    const created = await h.call<LeadView>(LEADS.createLead, { name: 'Moving' }, { actor: ops });
    expect(await h.call(LEADS.moveLead, { id: created.id, status: 'active' }, { actor: ops })).toMatchObject({ status: 'active' });
    expect(await h.call(LEADS.moveLead, { id: created.id, status: 'draft' }, { actor: ops }).catch(codeOf)).toBe(ErrorCode.BadInput);
    expect(await h.call(LEADS.moveLead, { id: created.id, status: 'active' }, { actor: ops }).catch(codeOf)).toBe(ErrorCode.Conflict);
    expect(await h.call(LEADS.moveLead, { id: '0190f1c2-0000-7000-8000-000000000000', status: 'archived' }, { actor: ops }).catch(codeOf)).toBe(ErrorCode.NotFound);
  });
});
