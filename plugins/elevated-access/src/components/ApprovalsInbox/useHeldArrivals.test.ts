import { request } from '../../__testUtils__/fixtures';
import { partitionArrivals } from './useHeldArrivals';

const r = (id: string) => request({ id });
const ids = (list: { id: string }[]) => list.map(x => x.id);

describe('partitionArrivals', () => {
  it('shows the first load as it comes', () => {
    const parts = partitionArrivals([r('a'), r('b')], undefined);
    expect(ids(parts.visible)).toEqual(['a', 'b']);
    expect(parts.arrivals).toEqual([]);
    expect([...parts.shown]).toEqual(['a', 'b']);
  });

  it('holds back requests that arrive above what the viewer saw', () => {
    const parts = partitionArrivals(
      [r('new'), r('a'), r('b')],
      new Set(['a', 'b']),
    );
    expect(ids(parts.visible)).toEqual(['a', 'b']);
    expect(ids(parts.arrivals)).toEqual(['new']);
    expect(parts.shown.has('new')).toBe(false);
  });

  it('lets older requests join below (the next page), and drops decided ones', () => {
    const parts = partitionArrivals(
      [r('new'), r('b'), r('older')],
      new Set(['a', 'b']),
    );
    expect(ids(parts.visible)).toEqual(['b', 'older']);
    expect(ids(parts.arrivals)).toEqual(['new']);
    expect(parts.shown.has('older')).toBe(true);
  });

  it('announces everything when nothing the viewer saw is left', () => {
    const parts = partitionArrivals([r('new')], new Set(['a']));
    expect(parts.visible).toEqual([]);
    expect(ids(parts.arrivals)).toEqual(['new']);
  });
});
