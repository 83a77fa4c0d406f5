import { elevatedAccessPlugin } from './plugin';

describe('elevated-access', () => {
  it('should export plugin', () => {
    expect(elevatedAccessPlugin).toBeDefined();
  });
});
