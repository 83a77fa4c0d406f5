import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusOK,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';

/** The Elevated Access page. */
export const ElevatedAccessPage = () => {
  const api = useApi(elevatedAccessApiRef);
  const health = useAsync(() => api.health(), [api]);

  return (
    <Page themeId="tool">
      <Header
        title="Elevated access"
        subtitle="Just-in-time, approved and audited access to AWS accounts"
      />
      <Content>
        <InfoCard title="Service">
          {health.loading && <Progress />}
          {health.error && <ResponseErrorPanel error={health.error} />}
          {health.value && (
            <Typography>
              <StatusOK /> The Elevated Access backend is running.
            </Typography>
          )}
        </InfoCard>
      </Content>
    </Page>
  );
};
