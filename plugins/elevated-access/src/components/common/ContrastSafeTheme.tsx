import {
  darken,
  decomposeColor,
  getContrastRatio,
  lighten,
  Theme,
  ThemeProvider,
} from '@material-ui/core/styles';
import { PropsWithChildren, useCallback, useMemo } from 'react';

/** WCAG AA for normal text. */
const MIN_CONTRAST = 4.5;

/**
 * A colour as it shows on `background`: themes give secondary text as
 * translucent black (rgba(0, 0, 0, 0.54)), whose contrast depends on what is
 * under it.
 */
function onBackground(color: string, background: string): string {
  const c = decomposeColor(color);
  if (c.type !== 'rgba' || c.values[3] === undefined || c.values[3] >= 1) {
    return color;
  }
  const bg = decomposeColor(background).values;
  const alpha = c.values[3];
  const mixed = [0, 1, 2].map(i =>
    Math.round(alpha * c.values[i] + (1 - alpha) * bg[i]),
  );
  return `rgb(${mixed.join(', ')})`;
}

/**
 * The colour itself when it reads well enough on every one of `backgrounds`,
 * else the nearest darker (light themes) or lighter (dark themes) opaque
 * shade that does.
 */
export function readableOn(color: string, ...backgrounds: string[]): string {
  const contrastOn = (shade: string, b: string) =>
    getContrastRatio(onBackground(shade, b), b);
  const worstBackground = backgrounds.reduce((a, b) =>
    contrastOn(color, b) < contrastOn(color, a) ? b : a,
  );
  const passes = (shade: string) =>
    backgrounds.every(b => contrastOn(shade, b) >= MIN_CONTRAST);
  if (passes(color)) return color;
  const dark =
    getContrastRatio(worstBackground, '#000') >
    getContrastRatio(worstBackground, '#fff');
  const base = onBackground(color, worstBackground);
  let shade = base;
  for (let step = 1; step <= 20 && !passes(shade); step++) {
    shade = dark ? darken(base, step * 0.05) : lighten(base, step * 0.05);
  }
  return shade;
}

/**
 * The host app's theme with the colours our pages use for text made readable
 * (WCAG AA): MUI's default error red (#f44336) is 3.68:1 on white, and some
 * themes' secondary and hint text greys are lighter still. The adopter's
 * theme is kept; only colours below the bar are shaded until they pass.
 */
export function contrastSafe(outer: Theme, pageBackground?: string): Theme {
  // cards are on paper, filter bars and page text on the page's background
  const backgrounds = [
    outer.palette.background.paper,
    outer.palette.background.default,
    ...(pageBackground ? [pageBackground] : []),
  ];
  const { error, text } = outer.palette;
  return {
    ...outer,
    palette: {
      ...outer.palette,
      error: { ...error, main: readableOn(error.main, ...backgrounds) },
      text: {
        ...text,
        secondary: readableOn(text.secondary, ...backgrounds),
        hint: readableOn(text.hint, ...backgrounds),
      },
    },
  };
}

/**
 * The colour the page is really painted with: an app's stylesheet can paint
 * the body differently from its theme (Backstage UI's CSS paints #f5f5f5
 * under a theme that says #f8f8f8). Transparent or unknown: none.
 */
function paintedPageBackground(): string | undefined {
  if (typeof window === 'undefined' || !document.body) return undefined;
  const color = window.getComputedStyle(document.body).backgroundColor;
  if (!color || color === 'transparent') return undefined;
  try {
    const { values, type } = decomposeColor(color);
    return type === 'rgba' && values[3] !== undefined && values[3] < 1
      ? undefined
      : color;
  } catch {
    return undefined;
  }
}

/** Wraps the plugin's pages in `contrastSafe` of whatever theme the app uses. */
export const ContrastSafeTheme = ({ children }: PropsWithChildren<{}>) => {
  const pageBackground = useMemo(paintedPageBackground, []);
  const theme = useCallback(
    (outer: Theme) => contrastSafe(outer, pageBackground),
    [pageBackground],
  );
  return <ThemeProvider theme={theme}>{children}</ThemeProvider>;
};
