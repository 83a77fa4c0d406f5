import {
  AccountSummary,
  PermissionSetSummary,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { DateTime } from 'luxon';

/** The durations offered as one-click chips, in minutes. */
export const DURATION_PRESETS = [15, 30, 60, 120, 240, 480];

/** What the request form holds, as the person fills it in. */
export interface FormState {
  account: AccountSummary | null;
  permissionSet: PermissionSetSummary | null;
  startMode: 'now' | 'later';
  startLocal: string;
  durationMinutes: string;
  justification: string;
  ticketId: string;
  /** Break-glass asked for (only counts where the pair allows it). */
  breakGlass: boolean;
}

/** Changes one field of the form (and clears the error it had). */
export type SetField = <K extends keyof FormState>(
  key: K,
  value: FormState[K],
) => void;

// which error a change of each field clears
export const ERROR_FIELD: Record<keyof FormState, string> = {
  account: 'accountId',
  permissionSet: 'permissionSetArn',
  startMode: 'startTime',
  startLocal: 'startTime',
  durationMinutes: 'durationMinutes',
  justification: 'justification',
  ticketId: 'ticketId',
  breakGlass: 'breakGlass',
};

/**
 * The empty form: access from now for an hour, a later start offered at the
 * next full hour, and the justification started with the linked entity.
 */
export function initialFormState(entityRef: string | undefined): FormState {
  return {
    account: null,
    permissionSet: null,
    startMode: 'now',
    startLocal: DateTime.local()
      .plus({ hours: 1 })
      .startOf('hour')
      .toFormat("yyyy-MM-dd'T'HH:mm"),
    durationMinutes: '60',
    justification: entityRef ? `For ${entityRef}: ` : '',
    ticketId: '',
    breakGlass: false,
  };
}
