import { REQUEST_STATUSES } from '@elevated-access/backstage-plugin-elevated-access-common';
import { STATUS_COLORS } from './StatusChip';

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map(i => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

describe('StatusChip', () => {
  it.each([...REQUEST_STATUSES])(
    'writes %s in white at least 4.5:1 against its background',
    status => {
      expect(contrast('#ffffff', STATUS_COLORS[status])).toBeGreaterThanOrEqual(
        4.5,
      );
    },
  );
});
