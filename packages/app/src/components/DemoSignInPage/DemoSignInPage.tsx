import { useMemo, useState } from 'react';
import {
  Content,
  Header,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import { IdentityApi, SignInPageProps } from '@backstage/core-plugin-api';
import {
  Button,
  Card,
  CardActions,
  CardContent,
  Grid,
  Typography,
} from '@material-ui/core';
import {
  DEMO_PERSONA_HEADER,
  DEMO_PERSONAS,
  PERSONA_STORAGE_KEY,
} from './personas';

/** The server's own reason when there is one (ResponseError keeps it in `body`). */
function reasonOf(error: Error | undefined): string {
  const body = (error as { body?: { error?: { message?: string } } })?.body;
  return body?.error?.message ?? error?.message ?? 'Unknown error';
}

/** Signing out forgets the persona, so the next visit offers the choice again. */
function forgetPersonaOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      window.localStorage.removeItem(PERSONA_STORAGE_KEY);
      await identity.signOut();
      window.location.reload();
    },
  };
}

/**
 * Development sign-in: pick a demo persona and sign in as that catalog user
 * through the backend's `demo` provider. The choice is kept in local storage
 * so a reload keeps the session.
 */
export const DemoSignInPage = (props: SignInPageProps) => {
  const [persona, setPersona] = useState<string | null>(() =>
    window.localStorage.getItem(PERSONA_STORAGE_KEY),
  );
  const headers = useMemo(
    () => (persona ? { [DEMO_PERSONA_HEADER]: persona } : undefined),
    [persona],
  );

  if (persona && headers) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="demo"
        headers={headers}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgetPersonaOnSignOut(identity))
        }
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Header title="Sign-in failed" />
            <Content>
              <Typography paragraph>{reasonOf(error)}</Typography>
              <Button
                variant="contained"
                color="primary"
                onClick={() => {
                  window.localStorage.removeItem(PERSONA_STORAGE_KEY);
                  setPersona(null);
                }}
              >
                Choose another persona
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title="Elevated Access demo"
        subtitle="Sign in as one of the demo personas"
      />
      <Content>
        <Grid container spacing={3}>
          {DEMO_PERSONAS.map(p => (
            <Grid item xs={12} sm={6} md={4} key={p.name}>
              <Card>
                <CardContent>
                  <Typography variant="h5">{p.title}</Typography>
                  <Typography color="textSecondary" gutterBottom>
                    {p.role} · group {p.groups}
                  </Typography>
                  <Typography variant="body2">{p.description}</Typography>
                </CardContent>
                <CardActions>
                  <Button
                    color="primary"
                    variant="contained"
                    aria-label={`Sign in as ${p.name}`}
                    onClick={() => {
                      window.localStorage.setItem(PERSONA_STORAGE_KEY, p.name);
                      setPersona(p.name);
                    }}
                  >
                    Sign in as {p.title}
                  </Button>
                </CardActions>
              </Card>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
};
