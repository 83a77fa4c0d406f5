import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** @public */
export const rootRouteRef = createRouteRef({
  id: 'elevated-access',
});

/** A deep link to one request; notifications point here. @public */
export const requestRouteRef = createSubRouteRef({
  id: 'elevated-access/request',
  parent: rootRouteRef,
  path: '/requests/:id',
});
