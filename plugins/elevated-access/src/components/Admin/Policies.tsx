import { Progress, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ErrorState } from '../common/ErrorState';
import { useNotify } from '../common/notice';
import {
  ApproverPolicy,
  EligibilityPolicy,
  formatMinutes,
  TargetsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Button, Chip } from '@material-ui/core';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { CommentDialog } from '../common/CommentDialog';
import { formatWhen, shortRef } from '../common/format';
import { shortApproverLabel } from './PrincipalPicker';
import { PolicyDialog, PolicyKind } from './PolicyDialog';

type AnyPolicy = EligibilityPolicy | ApproverPolicy;

/** Names of what a policy covers, from the organisation tree. */
function scopeLabels(policy: AnyPolicy, targets: TargetsResponse): string[] {
  const ouName = (id: string) =>
    id === targets.rootId
      ? 'whole organisation'
      : targets.organizationalUnits.find(o => o.id === id)?.name ?? id;
  const accountName = (id: string) =>
    targets.accounts.find(a => a.id === id)?.name ?? id;
  return [
    ...policy.ous.map(id => `${ouName(id)} (OU)`),
    ...policy.accounts.map(accountName),
  ];
}

/** The policies of one kind, with create, edit and delete. */
export const Policies = ({
  kind,
  targets,
}: {
  kind: PolicyKind;
  targets: TargetsResponse;
}) => {
  const api = useApi(elevatedAccessApiRef);
  const notify = useNotify();
  const eligibility = kind === 'eligibility';
  const state = useAsyncRetry<AnyPolicy[]>(
    async () =>
      (eligibility
        ? await api.listEligibilityPolicies()
        : await api.listApproverPolicies()
      ).items,
    [api, eligibility],
  );
  const [editing, setEditing] = useState<AnyPolicy | 'new'>();
  const [deleting, setDeleting] = useState<AnyPolicy>();
  const psName = (arn: string) =>
    targets.permissionSets.find(p => p.arn === arn)?.name ?? arn;

  if (state.loading && !state.value) return <Progress />;
  if (state.error) {
    return (
      <ErrorState
        error={state.error}
        action="load the policies"
        onRetry={state.retry}
      />
    );
  }

  const columns: TableColumn<AnyPolicy>[] = [
    { title: 'Name', field: 'name' },
    {
      title: eligibility ? 'Who may request' : 'Approvers',
      render: p =>
        (
          (eligibility
            ? (p as EligibilityPolicy).principals
            : (p as ApproverPolicy).approvers) ?? []
        ).map(r => (
          <Chip
            key={r}
            size="small"
            label={shortApproverLabel(r)}
            style={{ margin: 2 }}
          />
        )),
    },
    {
      title: 'Accounts and OUs',
      render: p => scopeLabels(p, targets).join(', '),
    },
    {
      title: 'Permission sets',
      render: p =>
        p.permissionSets.length
          ? p.permissionSets.map(psName).join(', ')
          : 'all',
    },
    eligibility
      ? {
          title: 'Terms',
          render: p => {
            const e = p as EligibilityPolicy;
            return `up to ${formatMinutes(e.maxDurationMinutes)} · ${
              e.approvalRequired ? 'approval' : 'no approval'
            } · ${e.ticketRequired ? 'ticket' : 'no ticket'}${
              e.breakGlass ? ' · break-glass allowed' : ''
            }`;
          },
        }
      : {
          title: 'Approvals needed',
          render: p => {
            const a = p as ApproverPolicy;
            return a.sensitiveMinApprovals !== undefined &&
              a.sensitiveMinApprovals !== a.minApprovals
              ? `${a.minApprovals} · ${a.sensitiveMinApprovals} for sensitive accounts`
              : String(a.minApprovals);
          },
        },
    {
      title: 'Changed',
      render: p => `${formatWhen(p.updatedAt)} by ${shortRef(p.updatedBy)}`,
    },
    {
      title: 'Actions',
      render: p => (
        <>
          <Button
            size="small"
            onClick={() => setEditing(p)}
            aria-label={`Edit ${p.name}`}
          >
            Edit
          </Button>
          <Button
            size="small"
            color="secondary"
            onClick={() => setDeleting(p)}
            aria-label={`Delete ${p.name}`}
          >
            Delete
          </Button>
        </>
      ),
    },
  ];

  return (
    <>
      <div
        style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 8 }}
      >
        <Button
          variant="contained"
          color="primary"
          onClick={() => setEditing('new')}
        >
          New {eligibility ? 'eligibility' : 'approver'} policy
        </Button>
      </div>
      <Table<AnyPolicy>
        title={eligibility ? 'Eligibility policies' : 'Approver policies'}
        columns={columns}
        data={state.value ?? []}
        // no sortable, draggable headers: they nest buttons in buttons (axe)
        options={{
          paging: false,
          search: true,
          padding: 'dense',
          sorting: false,
          draggable: false,
        }}
        emptyContent={<div style={{ padding: 16 }}>No policies yet.</div>}
      />
      {editing && (
        <PolicyDialog
          kind={kind}
          policy={editing === 'new' ? undefined : editing}
          targets={targets}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            notify({
              message: 'Policy saved',
              severity: 'success',
            });
            state.retry();
          }}
        />
      )}
      {deleting && (
        <CommentDialog
          open
          title={`Delete the policy "${deleting.name}"?`}
          description="Requests already made keep their approvers; new requests follow the remaining policies."
          confirmLabel="Delete"
          withComment={false}
          danger
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await (eligibility
              ? api.deleteEligibilityPolicy(deleting.id)
              : api.deleteApproverPolicy(deleting.id));
            state.retry();
          }}
        />
      )}
    </>
  );
};
