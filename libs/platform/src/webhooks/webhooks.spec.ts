import { checkWebhookUrl } from './url-guard';
import { signWebhook, verifyWebhookSignature } from './signing';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'e1', type: 'lead.assigned', occurredAt: '2026-11-23T00:00:00.000Z', data: { leadId: 'l1' } });
  const at = new Date('2026-11-23T08:00:00Z');

  it('signs "<t>.<raw body>" with HMAC-SHA256 and verifies it', () => {
    const header = signWebhook('s3cret', body, at);
    expect(header).toMatch(/^t=1795420800,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('s3cret', header, body, 300, at)).toBe(true);
  });

  it('refuses another secret, a changed body, an old signature and junk', () => {
    const header = signWebhook('s3cret', body, at);
    expect(verifyWebhookSignature('other', header, body, 300, at)).toBe(false);
    expect(verifyWebhookSignature('s3cret', header, `${body} `, 300, at)).toBe(false);
    expect(verifyWebhookSignature('s3cret', header, body, 300, new Date(at.getTime() + 301_000))).toBe(false);
    expect(verifyWebhookSignature('s3cret', 't=1,v1=zz', body, 300, at)).toBe(false);
    expect(verifyWebhookSignature('s3cret', undefined, body, 300, at)).toBe(false);
  });
});

describe('webhook URLs', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://172.20.0.1/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:10.0.0.1]/hook',
    'http://0.0.0.0/hook',
  ])('refuses %s', async (url) => {
    expect(await checkWebhookUrl(url)).toMatchObject({ ok: false });
  });

  it.each(['ftp://example.com/x', 'not a url', 'https://user:pw@example.com/x'])('refuses %s', async (url) => {
    expect(await checkWebhookUrl(url)).toMatchObject({ ok: false });
  });

  it('accepts a public address, and a private one when configuration allows it', async () => {
    expect(await checkWebhookUrl('https://93.184.216.34/hook')).toEqual({ ok: true });
    expect(await checkWebhookUrl('http://127.0.0.1:8080/hook', { allowPrivate: true })).toEqual({ ok: true });
  });
});
