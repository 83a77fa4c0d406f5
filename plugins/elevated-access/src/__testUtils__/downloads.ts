/**
 * Stands in for the browser's object URLs, which the download buttons make
 * for the file they fetched (jsdom has none).
 */
export function fakeBlobUrls() {
  global.URL.createObjectURL = jest.fn(() => 'blob:x');
  global.URL.revokeObjectURL = jest.fn();
}

/**
 * Catches the click on a download link: `saved` collects the names of the
 * files a person would have saved; `restore` puts the real click back
 * (as jest.restoreAllMocks() does).
 */
export function recordDownloads() {
  const saved: string[] = [];
  const click = jest
    .spyOn(HTMLAnchorElement.prototype, 'click')
    .mockImplementation(function record(this: HTMLAnchorElement) {
      saved.push(this.download);
    });
  return { saved, restore: () => click.mockRestore() };
}
