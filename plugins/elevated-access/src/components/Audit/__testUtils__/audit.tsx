import { AuditInsights } from '@elevated-access/backstage-plugin-elevated-access-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';

/** Catalog users as the catalog answers the people pickers. */
export const people = [
  {
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: {
      profile: { displayName: 'Alice Liddell', email: 'alice@example.com' },
    },
  },
  {
    kind: 'User',
    metadata: { name: 'bob', namespace: 'default', title: 'Bob Approver' },
    spec: { profile: { email: 'bob@example.com' } },
  },
  {
    kind: 'User',
    metadata: { name: 'dave', namespace: 'default' },
    spec: { profile: { email: 'dave@example.com' } },
  },
  {
    kind: 'User',
    metadata: { name: 'erin', namespace: 'default' },
    spec: { profile: { displayName: 'Erin Example' } },
  },
];

/** The address as the router has it, to check what the filters wrote. */
export const LocationProbe = () => {
  const location = useLocation();
  const from = (location.state as { from?: { path: string } } | null)?.from;
  return (
    <>
      <output data-testid="location">{`${location.pathname}${location.search}`}</output>
      <output data-testid="came-from">{from?.path ?? ''}</output>
    </>
  );
};

/** The current query string, decoded. */
export function currentQuery(): URLSearchParams {
  const text = screen.getByTestId('location').textContent ?? '';
  return new URLSearchParams(text.slice(text.indexOf('?') + 1));
}

/** Types into a type-ahead picker and chooses an option from its list. */
export async function pick(
  label: string,
  text: string,
  option: string | RegExp,
) {
  const field = screen.getByLabelText(label);
  await userEvent.clear(field);
  await userEvent.type(field, text);
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

/** The insights totals of a period without grants. */
export const noGrants: AuditInsights['totals'] = {
  grants: 0,
  grantedHours: 0,
  assessed: 0,
  unused: 0,
  shareUnused: null,
};
