import { Tab, Tabs } from '@material-ui/core';
import { useSearchParams } from 'react-router-dom';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { ApprovalHistory } from './ApprovalHistory';
import { Audit } from './Audit';
import { ChangeHistory } from './ChangeHistory';

const VIEWS = [
  { id: 'requests', title: 'Requests', audit: true },
  { id: 'decisions', title: 'Approval history', audit: true },
  { id: 'changes', title: 'Change history', audit: false },
] as const;

/** Filters that mean the same in every view travel with the switch. */
const SHARED = ['requester', 'account', 'from', 'to'];

function switchView(params: URLSearchParams, view: string): URLSearchParams {
  const next = new URLSearchParams({ view });
  for (const key of SHARED) {
    const value = params.get(key);
    if (value) next.set(key, value);
  }
  return next;
}

/**
 * The Audit tab: every request, the approval history (auditors, admins) and
 * the policy and settings change history (auditors and policy managers),
 * each a sub-tab kept in the address (`?view=`) with its filters.
 */
export const AuditArea = () => {
  const { me } = useElevatedAccess();
  const [params, setParams] = useSearchParams();
  const views = VIEWS.filter(v => !v.audit || me.canAudit);
  const current =
    views.find(v => v.id === params.get('view')) ?? views[0] ?? VIEWS[2];

  return (
    <>
      <Tabs
        value={current.id}
        onChange={(_e, id) => setParams(switchView(params, id))}
        indicatorColor="primary"
        textColor="primary"
        // a phone swipes through the views instead of cutting their names
        variant="scrollable"
        scrollButtons="off"
        style={{ marginBottom: 16 }}
        aria-label="Audit views"
      >
        {views.map(v => (
          <Tab key={v.id} value={v.id} label={v.title} />
        ))}
      </Tabs>
      {current.id === 'requests' && <Audit />}
      {current.id === 'decisions' && <ApprovalHistory />}
      {current.id === 'changes' && <ChangeHistory />}
    </>
  );
};
