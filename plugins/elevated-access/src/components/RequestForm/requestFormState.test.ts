import { DateTime, Settings } from 'luxon';
import { initialFormState } from './requestFormState';

describe('initialFormState', () => {
  const realNow = Settings.now;
  afterEach(() => {
    Settings.now = realNow;
  });

  it('starts now for an hour, offering the next full hour as a later start', () => {
    const now = DateTime.local(2026, 11, 21, 10, 20);
    Settings.now = () => now.toMillis();
    expect(initialFormState(undefined)).toEqual({
      account: null,
      permissionSet: null,
      startMode: 'now',
      startLocal: '2026-11-21T11:00',
      durationMinutes: '60',
      justification: '',
      ticketId: '',
      breakGlass: false,
    });
  });

  it('starts the justification with the linked entity', () => {
    expect(initialFormState('component:default/payments').justification).toBe(
      'For component:default/payments: ',
    );
  });
});
