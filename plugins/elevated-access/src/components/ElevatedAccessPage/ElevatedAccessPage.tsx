import {
  Content,
  Header,
  HeaderLabel,
  Page,
  Progress,
  ResponseErrorPanel,
  TabbedLayout,
} from '@backstage/core-components';
import { Navigate, Route, Routes } from 'react-router-dom';
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
import { shortRef } from '../common/format';
import { landingTab } from './landingTab';

const Tabs = ({
  isApprover,
  pendingApprovals,
  canAudit,
  canManagePolicies,
}: {
  isApprover: boolean;
  pendingApprovals: number;
  canAudit: boolean;
  canManagePolicies: boolean;
}) => (
  <TabbedLayout>
    <TabbedLayout.Route path="/request" title="Request access">
      <RequestForm />
    </TabbedLayout.Route>
    <TabbedLayout.Route path="/requests" title="My requests">
      <MyRequests />
    </TabbedLayout.Route>
    {isApprover && (
      <TabbedLayout.Route
        path="/approvals"
        title={
          pendingApprovals ? `Approvals (${pendingApprovals})` : 'Approvals'
        }
      >
        <ApprovalsInbox />
      </TabbedLayout.Route>
    )}
    {isApprover && (
      <TabbedLayout.Route path="/decided" title="Decided">
        <DecidedRequests />
      </TabbedLayout.Route>
    )}
    <TabbedLayout.Route path="/active" title="Active access">
      <ActiveAccess />
    </TabbedLayout.Route>
    {(canAudit || canManagePolicies) && (
      <TabbedLayout.Route path="/audit" title="Audit">
        <AuditArea />
      </TabbedLayout.Route>
    )}
    {canAudit && (
      <TabbedLayout.Route path="/insights" title="Insights">
        <Insights />
      </TabbedLayout.Route>
    )}
    {canManagePolicies && (
      <TabbedLayout.Route path="/admin" title="Admin">
        <Admin />
      </TabbedLayout.Route>
    )}
  </TabbedLayout>
);

/** The Elevated Access page: each persona sees the tabs they may use. */
export const ElevatedAccessPage = () => {
  const state = useLoadElevatedAccess();
  const value = state.value;

  return (
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
          <ResponseErrorPanel error={state.error} />
        </Content>
      )}
      {value && (
        <ElevatedAccessProvider value={{ ...value, refreshMe: state.retry }}>
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
            <Route path="/*" element={<Tabs {...value.me} />} />
          </Routes>
        </ElevatedAccessProvider>
      )}
    </Page>
  );
};
