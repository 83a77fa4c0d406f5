import { NotificationSeverity } from '@backstage/plugin-notifications-common';

/** What happened to a request, for the people who should know. */
export type RequestNews =
  | { kind: 'created' }
  | { kind: 'vote'; actorRef: string }
  | { kind: 'approved'; actorRef: string }
  | { kind: 'rejected'; actorRef: string; comment?: string }
  | { kind: 'cancelled' }
  | { kind: 'expired' }
  | { kind: 'reminder' }
  | { kind: 'revoked'; actorRef: string; comment?: string }
  | { kind: 'granted' }
  | { kind: 'ended' }
  | { kind: 'error'; reason: string }
  | { kind: 'revoke-stuck'; reason: string; attempts: number }
  | { kind: 'ineligible'; reason: string }
  /** Active access ends within the "ends soon" window (the requester may extend). */
  | { kind: 'ends-soon' }
  /** The requester asked for more time and approvers must decide. */
  | {
      kind: 'extension-requested';
      addedMinutes: number;
      totalMinutes: number;
      justification: string;
    }
  /** The end moved: at once (no approval needed) or approved by `actorRef`. */
  | { kind: 'extended'; addedMinutes: number; actorRef?: string }
  | {
      kind: 'extension-rejected';
      addedMinutes: number;
      actorRef: string;
      comment?: string;
    }
  /** The access ended before anyone decided on the extension. */
  | { kind: 'extension-lapsed'; addedMinutes: number }
  /** Break-glass: approved at once; approvers and auditors hear at once. */
  | { kind: 'break-glass' }
  /** A break-glass request awaits review (its activity is complete). */
  | { kind: 'review-reminder' }
  /** An approver reviewed a break-glass request. */
  | {
      kind: 'reviewed';
      actorRef: string;
      outcome: 'appropriate' | 'inappropriate';
      comment?: string;
    }
  /** An internal step (a finished revocation, an admin's retry): only signals. */
  | { kind: 'changed' };

/** One message: the title, description and severity of a notification. */
export interface Notice {
  title: string;
  /** Plain text; lines are separated by `\n`. */
  description: string;
  severity: NotificationSeverity;
}

/** Who hears of a piece of news, and what they read. */
export interface RequestNotices {
  /** To the requester, in the second person. */
  requester?: Notice;
  /**
   * About the request, naming the requester: what approvers and admins
   * read, and what a channel that hears of every request (the Slack
   * webhook) posts.
   */
  about?: Notice;
  /**
   * The approvers are told (`about`), except the requester and these, in
   * this notification scope (default `approval`).
   */
  approvers?: { except: string[]; scope?: 'review' };
  /** The auditors are told (`about`), in this notification scope. */
  auditors?: { scope: 'review' };
  /** The admins are told (`about`), in this notification scope. */
  admins?: { scope: 'error' | 'revoke-stuck' };
  /** Added to the request's link, e.g. `?extend=1` (opens the extend dialog). */
  linkQuery?: string;
}
