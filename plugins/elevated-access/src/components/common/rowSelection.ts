import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { KeyboardEvent } from 'react';

/**
 * The props that make a row (or card) of a list of requests choosable:
 * reached with Tab, chosen by a click, Enter or Space; the arrow keys move
 * to the next one and choose it. None when the list's rows cannot be chosen.
 */
export function rowSelection(
  items: AccessRequest[],
  onSelect: ((request: AccessRequest) => void) | undefined,
) {
  /** Enter/Space choose a row; the arrow keys move to the next one and choose it. */
  const onRowKeyDown = (
    e: KeyboardEvent<HTMLElement>,
    r: AccessRequest,
    index: number,
  ) => {
    if (!onSelect || e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(r);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = items[index + (e.key === 'ArrowDown' ? 1 : -1)];
      if (!next) return;
      e.preventDefault();
      const sibling = (
        e.key === 'ArrowDown'
          ? e.currentTarget.nextElementSibling
          : e.currentTarget.previousElementSibling
      ) as HTMLElement | null;
      sibling?.focus();
      onSelect(next);
    }
  };

  return (r: AccessRequest, index: number) =>
    onSelect
      ? {
          tabIndex: 0,
          onClick: () => onSelect(r),
          onKeyDown: (e: KeyboardEvent<HTMLElement>) =>
            onRowKeyDown(e, r, index),
        }
      : {};
}

/** Props of a choosable row, as rowSelection gives them. */
export type RowSelection = ReturnType<typeof rowSelection>;
