import { render } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders the persona sign-in page when signed out', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    const rendered = render(<App />);

    // signed out, the app shows the persona sign-in page
    expect(
      await rendered.findByRole('button', { name: 'Sign in as alice' }),
    ).toBeInTheDocument();
  });
});
