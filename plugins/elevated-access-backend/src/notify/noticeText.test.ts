import { storedRequest, HOSTILE } from '../__testUtils__/noticeRequest';
import { humanTime, plainText, utcTime } from './noticeText';
import { requestNotices } from './requestNotices';

describe('plainText', () => {
  it('leaves no < or > for Slack to read as a mention or a link', () => {
    expect(plainText(HOSTILE)).toBe(
      '‹!channel› ‹@U12345› ‹https://evil.example|click› ‹@user:default/bob› › *fake line*',
    );
  });

  it('keeps text on one line and cuts it short', () => {
    expect(plainText(' first\r\n\tsecond  ')).toBe('first second');
    expect(plainText('x'.repeat(600))).toBe(`${'x'.repeat(500)}…`);
    expect(plainText(undefined)).toBe('');
  });
});

describe('utcTime', () => {
  it('reads the same in every renderer', () => {
    expect(utcTime('2026-11-21T09:00:00.000Z')).toBe('2026-11-21 09:00 UTC');
    expect(utcTime(undefined)).toBe('an unknown time');
  });
});

describe('humanTime', () => {
  it('writes the moment in words with its zone named, in the configured zone', () => {
    expect(humanTime('2026-11-21T09:00:00.000Z')).toBe(
      'Sat 21 Nov 2026, 09:00 UTC',
    );
    expect(humanTime('2026-11-21T09:00:00.000Z', 'Europe/Paris')).toBe(
      'Sat 21 Nov 2026, 10:00 CET',
    );
    expect(humanTime(undefined)).toBe('an unknown time');
  });

  it('is used for every time a notice states', () => {
    const now = new Date('2026-11-21T07:00:00.000Z');
    const { about } = requestNotices(
      storedRequest({
        status: 'pending',
        startTime: '2026-11-21T09:00:00.000Z',
        expiresAt: '2026-11-21T08:00:00.000Z',
      }),
      { kind: 'created' },
      now,
      'Asia/Tokyo',
    );
    const text = `${about!.title}\n${about!.description}`;
    expect(text).toContain('in 2 h (Sat 21 Nov 2026, 18:00 GMT+9)');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(text).not.toContain('UTC');
  });
});
