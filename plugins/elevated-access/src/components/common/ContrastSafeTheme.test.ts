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

describe('readableOn', () => {
  it('passes on every background given: grey labels on the grey page too', () => {
    // #717171 is 4.8:1 on white but 4.47:1 on the page's #f5f5f5
    const shade = readableOn('#717171', '#ffffff', '#f5f5f5');
    expect(getContrastRatio(shade, '#f5f5f5')).toBeGreaterThanOrEqual(4.5);
    expect(getContrastRatio(shade, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(shade).not.toBe('#717171');
  });
});

describe('translucent text', () => {
  it("shades MUI's rgba(0, 0, 0, 0.54) secondary text where the grey page makes it 4.47:1", () => {
    const safe = contrastSafe(
      createTheme({ palette: { background: { default: '#f5f5f5' } } }),
    );
    expect(safe.palette.text.secondary).not.toBe('rgba(0, 0, 0, 0.54)');
    expect(
      getContrastRatio(safe.palette.text.secondary, '#f5f5f5'),
    ).toBeGreaterThanOrEqual(4.5);
  });
});

describe('the painted page', () => {
  it("also reads on the page colour the app's stylesheet paints", () => {
    // the theme says #f8f8f8 (where 0.54 black passes); the body is #f5f5f5
    const theme = createTheme({
      palette: { background: { default: '#f8f8f8' } },
    });
    expect(contrastSafe(theme).palette.text.secondary).toBe(
      'rgba(0, 0, 0, 0.54)',
    );
    const safe = contrastSafe(theme, 'rgb(245, 245, 245)');
    expect(
      getContrastRatio(safe.palette.text.secondary, '#f5f5f5'),
    ).toBeGreaterThanOrEqual(4.5);
  });
});
