import {
  Content,
  Header,
  HeaderLabel,
  Page,
  Progress,
} from '@backstage/core-components';
import { MeResponse } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Box, Tab, Tabs, useMediaQuery } from '@material-ui/core';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import {
  Navigate,
  Route,
  Routes,
  useLocation,
  useNavigate,
  useParams,
} from 'react-router-dom';
import {
  ElevatedAccessProvider,
  useLoadElevatedAccess,
} from '../../hooks/useElevatedAccess';
import { ActiveAccess } from '../ActiveAccess';
import { Admin } from '../Admin';
import { ApprovalsInbox } from '../ApprovalsInbox';
import { DecidedRequests } from '../DecidedRequests';
import { AuditArea, Insights } from '../Audit';
import { MyRequests } from '../MyRequests';
import { RequestDetail } from '../RequestDetail';
import { RequestForm } from '../RequestForm';
import { ContrastSafeTheme } from '../common/ContrastSafeTheme';
import { NoticeProvider } from '../common/notice';
import { ErrorState } from '../common/ErrorState';
import { shortRef } from '../common/format';
import { ALL_TAB_PATHS, landingTab, pageTabs } from './landingTab';

const CONTENT: Record<string, () => ReactNode> = {
  request: () => <RequestForm />,
  requests: () => <MyRequests />,
  approvals: () => <ApprovalsInbox />,
  decided: () => <DecidedRequests />,
  active: () => <ActiveAccess />,
  audit: () => <AuditArea />,
  insights: () => <Insights />,
  admin: () => <Admin />,
};

// The look of Backstage's header tabs, with room for every label on a phone.
const useStyles = makeStyles((theme: Theme) => ({
  tabsWrapper: {
    gridArea: 'pageSubheader',
    backgroundColor: theme.palette.background.paper,
    paddingLeft: theme.spacing(3),
    minWidth: 0,
    [theme.breakpoints.down('xs')]: { paddingLeft: 0 },
  },
  tab: {
    ...theme.typography.caption,
    padding: theme.spacing(3, 3),
    textTransform: 'uppercase',
    fontWeight: theme.typography.fontWeightBold as number,
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
    maxWidth: 'none',
    '&:hover': {
      backgroundColor: theme.palette.background.default,
      color: theme.palette.text.primary,
    },
    [theme.breakpoints.down('xs')]: {
      padding: theme.spacing(2, 1.5),
      minWidth: 0,
    },
  },
  selected: { color: theme.palette.text.primary },
}));

/**
 * The page's tabs, routed by the first path segment under the page. Our own
 * MUI tabs rather than Backstage's TabbedLayout: on a phone they scroll with
 * visible arrows and every label stays whole ("Active access", never
 * "ACT…"). A tab the person cannot use is not offered, and its address leads
 * to where their work is.
 */
const TabbedPage = ({ me }: { me: MeResponse }) => {
  const classes = useStyles();
  const phone = useMediaQuery((theme: Theme) => theme.breakpoints.down('xs'));
  const navigate = useNavigate();
  const location = useLocation();
  const splat = useParams()['*'] ?? '';
  const tabs = pageTabs(me);

  // The first segment that names a tab; what comes before it is the page.
  const segments = splat.split('/');
  const at = segments.findIndex(s => ALL_TAB_PATHS.includes(s));
  const base = location.pathname
    .slice(0, location.pathname.length - splat.length)
    .replace(/\/+$/, '');
  const prefix = at > 0 ? `/${segments.slice(0, at).join('/')}` : '';
  const page = `${base}${prefix}`;
  const current = tabs.find(t => t.path === segments[at]);

  if (!current) {
    return (
      <Navigate to={`${at >= 0 ? page : base}/${landingTab(me)}`} replace />
    );
  }

  return (
    <>
      <Box className={classes.tabsWrapper}>
        <Tabs
          value={current.path}
          onChange={(_e, path: string) => navigate(`${page}/${path}`)}
          indicatorColor="primary"
          textColor="inherit"
          variant="scrollable"
          scrollButtons={phone ? 'on' : 'auto'}
          aria-label="Elevated access"
        >
          {tabs.map(t => (
            <Tab
              key={t.path}
              value={t.path}
              label={t.title}
              id={`elevated-access-tab-${t.path}`}
              aria-controls="elevated-access-tabpanel"
              classes={{ root: classes.tab, selected: classes.selected }}
            />
          ))}
        </Tabs>
      </Box>
      <Content>
        <div
          role="tabpanel"
          id="elevated-access-tabpanel"
          aria-labelledby={`elevated-access-tab-${current.path}`}
        >
          {CONTENT[current.path]()}
        </div>
      </Content>
    </>
  );
};

/** The Elevated Access page: each persona sees the tabs they may use. */
export const ElevatedAccessPage = () => {
  const state = useLoadElevatedAccess();
  const value = state.value;

  return (
    <ContrastSafeTheme>
      <NoticeProvider>
        <Page themeId="tool">
          <Header
            title="Elevated access"
            subtitle="Just-in-time, approved and audited access to AWS accounts"
          >
            {value && (
              <HeaderLabel
                label="Signed in as"
                value={shortRef(value.me.userEntityRef)}
              />
            )}
          </Header>
          {state.loading && !value && <Progress />}
          {state.error && !value && (
            <Content>
              <ErrorState
                error={state.error}
                action="open Elevated access"
                onRetry={state.retry}
              />
            </Content>
          )}
          {value && (
            <ElevatedAccessProvider
              value={{ ...value, refreshMe: state.retry }}
            >
              <Routes>
                <Route
                  path="requests/:id"
                  element={
                    <Content>
                      <RequestDetail />
                    </Content>
                  }
                />
                {/* the bare page opens where this person's work is */}
                <Route
                  index
                  element={<Navigate to={landingTab(value.me)} replace />}
                />
                <Route path="/*" element={<TabbedPage me={value.me} />} />
              </Routes>
            </ElevatedAccessProvider>
          )}
        </Page>
      </NoticeProvider>
    </ContrastSafeTheme>
  );
};
