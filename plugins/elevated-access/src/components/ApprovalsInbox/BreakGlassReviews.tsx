import { InfoCard } from '@backstage/core-components';
import { Link as RouterLink } from 'react-router-dom';
import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Button, Grid, List, ListItem, Typography } from '@material-ui/core';
import { ErrorState } from '../common/ErrorState';
import { formatWhen, shortRef } from '../common/format';
import { useRequestLink } from '../common/requestLink';
import { usePagedRequests } from '../common/usePagedRequests';

/** Where a break-glass request stands on its way to review. */
export function reviewState(r: AccessRequest): string {
  let used: string | undefined;
  if (r.used !== undefined) used = r.used ? 'used' : 'unused';
  if (r.capabilities.canReview) {
    return `Ended, activity collected${
      used ? `, ${used}` : ''
    }: ready to review`;
  }
  if (r.status === 'ended' || r.status === 'revoked') {
    return r.activityComplete
      ? `Ended${used ? `, ${used}` : ''}`
      : 'Ended: its activity is still being collected';
  }
  return 'Access still on: review once it has ended';
}

/**
 * Break-glass requests in the approver's scope that await review, newest
 * first, as an item of the inbox's grid. Quiet when there is none: the
 * section is not shown at all.
 */
export const BreakGlassReviews = () => {
  const page = usePagedRequests({ view: 'reviews' });
  const requestLink = useRequestLink();
  // only break-glass rows, whatever else a list might carry
  const items = page.items.filter(r => r.breakGlass && !r.review);
  if (!page.error && items.length === 0) return null;
  return (
    <Grid
      item
      xs={12}
      component="section"
      aria-labelledby="break-glass-reviews-title"
    >
      <InfoCard
        title={
          <span id="break-glass-reviews-title">Break-glass to review</span>
        }
      >
        {page.error && (
          <ErrorState
            error={page.error}
            action="load the break-glass requests to review"
            onRetry={page.refresh}
          />
        )}
        {items.length > 0 && (
          <List dense aria-labelledby="break-glass-reviews-title">
            {items.map(r => {
              const link = requestLink(r.id);
              const who = shortRef(r.requesterRef);
              const what = `${r.permissionSetName} on ${r.accountName}`;
              return (
                <ListItem
                  key={r.id}
                  disableGutters
                  data-testid={`review-row-${r.id}`}
                  style={{
                    display: 'flex',
                    flexWrap: 'wrap',
                    gap: 8,
                    justifyContent: 'space-between',
                    alignItems: 'center',
                  }}
                >
                  <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                    <Typography variant="body2">
                      <strong>{who}</strong> · {what}
                    </Typography>
                    <Typography variant="body2" color="textSecondary">
                      {formatWhen(r.grantedAt ?? r.startTime)} →{' '}
                      {formatWhen(r.endedAt ?? r.endTime)} · {reviewState(r)}
                    </Typography>
                  </div>
                  {r.capabilities.canReview ? (
                    <Button
                      variant="contained"
                      color="primary"
                      size="small"
                      component={RouterLink}
                      // a link that looks like a button: it opens a page
                      role="link"
                      to={`${link.to}?review=1`}
                      state={link.state}
                      aria-label={`Review ${who}'s break-glass access to ${what}`}
                    >
                      Review
                    </Button>
                  ) : (
                    <Button
                      variant="outlined"
                      size="small"
                      component={RouterLink}
                      // a link that looks like a button: it opens a page
                      role="link"
                      to={link.to}
                      state={link.state}
                      aria-label={`Open ${who}'s break-glass request for ${what}`}
                    >
                      Open
                    </Button>
                  )}
                </ListItem>
              );
            })}
          </List>
        )}
        {page.loadMore && (
          <Button onClick={page.loadMore} style={{ marginTop: 8 }}>
            Load more
          </Button>
        )}
      </InfoCard>
    </Grid>
  );
};
