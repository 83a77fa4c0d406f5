import { Settings } from 'luxon';
import { withLocalTimes } from './format';

describe('withLocalTimes', () => {
  const zone = Settings.defaultZone;
  afterEach(() => {
    Settings.defaultZone = zone;
  });

  it("writes a server's ISO moments in the reader's zone", () => {
    Settings.defaultZone = 'Europe/Paris';
    const text = withLocalTimes(
      'Access granted; until 2026-11-29T02:56:45.175Z',
    );
    expect(text).not.toContain('2026-11-29T');
    expect(text).toMatch(/^Access granted; until Nov 29, 2026, 3:56\s?AM$/);
  });

  it('also reads the "2026-11-29 03:40 UTC" form', () => {
    Settings.defaultZone = 'Europe/Paris';
    expect(
      withLocalTimes(
        'Extension by 15 min approved; now ends 2026-11-29 03:40 UTC',
      ),
    ).toMatch(/now ends Nov 29, 2026, 4:40\s?AM$/);
  });

  it('leaves other text and numbers alone', () => {
    expect(withLocalTimes('ticket OPS-2026-11 for 60 min')).toBe(
      'ticket OPS-2026-11 for 60 min',
    );
  });
});
