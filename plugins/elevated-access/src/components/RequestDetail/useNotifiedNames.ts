import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import useAsync from 'react-use/esm/useAsync';
import { shortRef } from '../common/format';

/** "a", "a and b", "a, b and c". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Who was told of a new request, in names: users by name, groups by their
 * members (from the catalog) with the group's name, e.g.
 * "bob and erin (platform-leads)". The requester is never told.
 */
export function useNotifiedNames(
  request: AccessRequest | undefined,
  enabled: boolean,
): string | undefined {
  const catalogApi = useApi(catalogApiRef);
  const refs = enabled && request ? request.approverRefs : [];
  const requester = request?.requesterRef.toLocaleLowerCase('en-US');
  const names = useAsync(async () => {
    if (!refs.length) return undefined;
    const parts = await Promise.all(
      refs.map(async ref => {
        let entity;
        try {
          entity = parseEntityRef(ref, { defaultKind: 'user' });
        } catch {
          return shortRef(ref);
        }
        if (entity.kind.toLocaleLowerCase('en-US') !== 'group') {
          return ref.toLocaleLowerCase('en-US') === requester
            ? undefined
            : shortRef(ref);
        }
        const group = shortRef(ref);
        try {
          const { items } = await catalogApi.getEntities({
            filter: { kind: 'User', 'relations.memberOf': [ref] },
            fields: ['kind', 'metadata.name', 'metadata.namespace'],
          });
          const members = items
            .map(u => ({
              name: u.metadata.name,
              ref: stringifyEntityRef(u).toLocaleLowerCase('en-US'),
            }))
            .filter(u => u.ref !== requester)
            .map(u => u.name)
            .sort();
          return members.length
            ? `${joinNames(members)} (${group})`
            : `the members of ${group}`;
        } catch {
          return `the members of ${group}`;
        }
      }),
    );
    return joinNames(parts.filter((p): p is string => Boolean(p)));
  }, [catalogApi, refs.join(','), requester]);
  return names.value;
}
