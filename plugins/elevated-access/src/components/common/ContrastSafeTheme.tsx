import {
  darken,
  getContrastRatio,
  lighten,
  Theme,
  ThemeProvider,
} from '@material-ui/core/styles';
import { PropsWithChildren } from 'react';

/** WCAG AA for normal text. */
const MIN_CONTRAST = 4.5;

/**
 * The colour itself when it reads well enough on `background`, else the
 * nearest darker (light themes) or lighter (dark themes) shade that does.
 */
export function readableOn(color: string, background: string): string {
  const dark =
    getContrastRatio(background, '#000') > getContrastRatio(background, '#fff');
  let shade = color;
  for (let step = 1; step <= 20; step++) {
    if (getContrastRatio(shade, background) >= MIN_CONTRAST) return shade;
    shade = dark ? darken(color, step * 0.05) : lighten(color, step * 0.05);
  }
  return shade;
}

/**
 * The host app's theme with the colours our pages use for text made readable
 * (WCAG AA): MUI's default error red (#f44336) is 3.68:1 on white, and some
 * themes' secondary and hint text greys are lighter still. The adopter's
 * theme is kept; only colours below the bar are shaded until they pass.
 */
export function contrastSafe(outer: Theme): Theme {
  const background = outer.palette.background.paper;
  const { error, text } = outer.palette;
  return {
    ...outer,
    palette: {
      ...outer.palette,
      error: { ...error, main: readableOn(error.main, background) },
      text: {
        ...text,
        secondary: readableOn(text.secondary, background),
        hint: readableOn(text.hint, background),
      },
    },
  };
}

/** Wraps the plugin's pages in `contrastSafe` of whatever theme the app uses. */
export const ContrastSafeTheme = ({ children }: PropsWithChildren<{}>) => (
  <ThemeProvider theme={contrastSafe}>{children}</ThemeProvider>
);
