import { createTheme, getContrastRatio } from '@material-ui/core/styles';
import { contrastSafe, readableOn } from './ContrastSafeTheme';

describe('contrastSafe', () => {
  it("shades MUI's default error red until it reads at 4.5:1 on white", () => {
    const theme = contrastSafe(createTheme());
    expect(getContrastRatio('#f44336', '#fff')).toBeLessThan(4.5);
    expect(theme.palette.error.main).not.toBe('#f44336');
    expect(
      getContrastRatio(theme.palette.error.main, '#fff'),
    ).toBeGreaterThanOrEqual(4.5);
  });

  it('lightens on a dark theme and leaves colours that already pass', () => {
    const dark = createTheme({ palette: { type: 'dark' } });
    const safe = contrastSafe(dark);
    expect(
      getContrastRatio(safe.palette.error.main, dark.palette.background.paper),
    ).toBeGreaterThanOrEqual(4.5);
    expect(readableOn('#1f5493', '#ffffff')).toBe('#1f5493');
  });
});
