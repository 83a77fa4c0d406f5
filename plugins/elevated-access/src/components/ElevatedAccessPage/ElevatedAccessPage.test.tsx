import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ElevatedAccessPage } from './ElevatedAccessPage';
import {
  ElevatedAccessApi,
  elevatedAccessApiRef,
} from '../../api/ElevatedAccessApi';

describe('ElevatedAccessPage', () => {
  it('shows that the backend answers', async () => {
    const api: jest.Mocked<ElevatedAccessApi> = {
      health: jest.fn().mockResolvedValue({ status: 'ok' }),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[elevatedAccessApiRef, api]]}>
        <ElevatedAccessPage />
      </TestApiProvider>,
    );
    expect(screen.getByText('Elevated access')).toBeInTheDocument();
    expect(await screen.findByText(/backend is running/)).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    const api: jest.Mocked<ElevatedAccessApi> = {
      health: jest.fn().mockRejectedValue(new Error('backend down')),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[elevatedAccessApiRef, api]]}>
        <ElevatedAccessPage />
      </TestApiProvider>,
    );
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
    expect(screen.queryByText(/backend is running/)).not.toBeInTheDocument();
  });
});
