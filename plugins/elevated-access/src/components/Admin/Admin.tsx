import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Tab, Tabs } from '@material-ui/core';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { ErrorState } from '../common/ErrorState';
import { Policies } from './Policies';
import { SettingsForm } from './SettingsForm';

/** Policies and settings (admins). */
export const Admin = () => {
  const api = useApi(elevatedAccessApiRef);
  const targets = useAsyncRetry(() => api.getTargets(), [api]);
  const [tab, setTab] = useState(0);
  return (
    <>
      <Tabs
        value={tab}
        onChange={(_e, v) => setTab(v)}
        indicatorColor="primary"
        style={{ marginBottom: 16 }}
      >
        <Tab label="Eligibility policies" />
        <Tab label="Approver policies" />
        <Tab label="Settings" />
      </Tabs>
      {tab < 2 && targets.loading && <Progress />}
      {tab < 2 && targets.error && (
        <ErrorState
          error={targets.error}
          action="load the AWS organisation"
          onRetry={targets.retry}
        />
      )}
      {tab === 0 && targets.value && (
        <Policies kind="eligibility" targets={targets.value} />
      )}
      {tab === 1 && targets.value && (
        <Policies kind="approver" targets={targets.value} />
      )}
      {tab === 2 && <SettingsForm />}
    </>
  );
};
