import { Knex } from 'knex';
import type { RequestStore } from '../RequestStore';
import { ActivityLeases } from './ActivityLeases';
import { RequestDecisions } from './RequestDecisions';
import { RequestQueries } from './RequestQueries';
import { RequestRecords } from './RequestRecords';
import { RequestReminders } from './RequestReminders';
import { RequestWorkQueue } from './RequestWorkQueue';

/**
 * The RequestStore on the plugin's database: each responsibility is a part
 * of its own (one request, lists, votes and reviews, reminders, the
 * provisioning work queue, activity leases), all on the same connection.
 */
export class DatabaseRequestStore implements RequestStore {
  static create(options: { knex: Knex }): DatabaseRequestStore {
    return new DatabaseRequestStore(options.knex);
  }

  private readonly records: RequestRecords;
  private readonly queries: RequestQueries;
  private readonly votes: RequestDecisions;
  private readonly reminders: RequestReminders;
  private readonly queue: RequestWorkQueue;
  private readonly activity: ActivityLeases;

  constructor(knex: Knex) {
    this.records = new RequestRecords(knex);
    this.queries = new RequestQueries(knex);
    this.votes = new RequestDecisions(knex);
    this.reminders = new RequestReminders(knex);
    this.queue = new RequestWorkQueue(knex);
    this.activity = new ActivityLeases(knex);
  }

  create(...args: Parameters<RequestStore['create']>) {
    return this.records.create(...args);
  }

  get(...args: Parameters<RequestStore['get']>) {
    return this.records.get(...args);
  }

  getMany(...args: Parameters<RequestStore['getMany']>) {
    return this.records.getMany(...args);
  }

  events(...args: Parameters<RequestStore['events']>) {
    return this.records.events(...args);
  }

  note(...args: Parameters<RequestStore['note']>) {
    return this.records.note(...args);
  }

  lastErrorAction(...args: Parameters<RequestStore['lastErrorAction']>) {
    return this.records.lastErrorAction(...args);
  }

  holders(...args: Parameters<RequestStore['holders']>) {
    return this.records.holders(...args);
  }

  close(...args: Parameters<RequestStore['close']>) {
    return this.records.close(...args);
  }

  tryClose(...args: Parameters<RequestStore['tryClose']>) {
    return this.records.tryClose(...args);
  }

  revoke(...args: Parameters<RequestStore['revoke']>) {
    return this.records.revoke(...args);
  }

  retryFailed(...args: Parameters<RequestStore['retryFailed']>) {
    return this.records.retryFailed(...args);
  }

  list(...args: Parameters<RequestStore['list']>) {
    return this.queries.list(...args);
  }

  idsMatching(...args: Parameters<RequestStore['idsMatching']>) {
    return this.queries.idsMatching(...args);
  }

  count(...args: Parameters<RequestStore['count']>) {
    return this.queries.count(...args);
  }

  countPendingFor(...args: Parameters<RequestStore['countPendingFor']>) {
    return this.queries.countPendingFor(...args);
  }

  grantsOn(...args: Parameters<RequestStore['grantsOn']>) {
    return this.queries.grantsOn(...args);
  }

  active(...args: Parameters<RequestStore['active']>) {
    return this.queries.active(...args);
  }

  decisions(...args: Parameters<RequestStore['decisions']>) {
    return this.votes.decisions(...args);
  }

  recordDecision(...args: Parameters<RequestStore['recordDecision']>) {
    return this.votes.recordDecision(...args);
  }

  recordReview(...args: Parameters<RequestStore['recordReview']>) {
    return this.votes.recordReview(...args);
  }

  dueForExpiry(...args: Parameters<RequestStore['dueForExpiry']>) {
    return this.reminders.dueForExpiry(...args);
  }

  dueForReminder(...args: Parameters<RequestStore['dueForReminder']>) {
    return this.reminders.dueForReminder(...args);
  }

  markReminderSent(...args: Parameters<RequestStore['markReminderSent']>) {
    return this.reminders.markReminderSent(...args);
  }

  dueForReviewReminder(
    ...args: Parameters<RequestStore['dueForReviewReminder']>
  ) {
    return this.reminders.dueForReviewReminder(...args);
  }

  claimReviewReminder(
    ...args: Parameters<RequestStore['claimReviewReminder']>
  ) {
    return this.reminders.claimReviewReminder(...args);
  }

  dueToGrant(...args: Parameters<RequestStore['dueToGrant']>) {
    return this.queue.dueToGrant(...args);
  }

  windowElapsed(...args: Parameters<RequestStore['windowElapsed']>) {
    return this.queue.windowElapsed(...args);
  }

  dueToEnd(...args: Parameters<RequestStore['dueToEnd']>) {
    return this.queue.dueToEnd(...args);
  }

  nextProvisioningDue(
    ...args: Parameters<RequestStore['nextProvisioningDue']>
  ) {
    return this.queue.nextProvisioningDue(...args);
  }

  unclaimed(...args: Parameters<RequestStore['unclaimed']>) {
    return this.queue.unclaimed(...args);
  }

  claim(...args: Parameters<RequestStore['claim']>) {
    return this.queue.claim(...args);
  }

  claimByTransition(...args: Parameters<RequestStore['claimByTransition']>) {
    return this.queue.claimByTransition(...args);
  }

  heartbeat(...args: Parameters<RequestStore['heartbeat']>) {
    return this.queue.heartbeat(...args);
  }

  recordPrincipal(...args: Parameters<RequestStore['recordPrincipal']>) {
    return this.queue.recordPrincipal(...args);
  }

  markGranted(...args: Parameters<RequestStore['markGranted']>) {
    return this.queue.markGranted(...args);
  }

  markGrantFailed(...args: Parameters<RequestStore['markGrantFailed']>) {
    return this.queue.markGrantFailed(...args);
  }

  abandonGrant(...args: Parameters<RequestStore['abandonGrant']>) {
    return this.queue.abandonGrant(...args);
  }

  markRevocationComplete(
    ...args: Parameters<RequestStore['markRevocationComplete']>
  ) {
    return this.queue.markRevocationComplete(...args);
  }

  markRevokeAlerted(...args: Parameters<RequestStore['markRevokeAlerted']>) {
    return this.queue.markRevokeAlerted(...args);
  }

  release(...args: Parameters<RequestStore['release']>) {
    return this.queue.release(...args);
  }

  releaseDueNow(...args: Parameters<RequestStore['releaseDueNow']>) {
    return this.queue.releaseDueNow(...args);
  }

  releaseForRetry(...args: Parameters<RequestStore['releaseForRetry']>) {
    return this.queue.releaseForRetry(...args);
  }

  releaseAllOf(...args: Parameters<RequestStore['releaseAllOf']>) {
    return this.queue.releaseAllOf(...args);
  }

  activityDue(...args: Parameters<RequestStore['activityDue']>) {
    return this.activity.activityDue(...args);
  }

  sessionsOverlapping(
    ...args: Parameters<RequestStore['sessionsOverlapping']>
  ) {
    return this.activity.sessionsOverlapping(...args);
  }

  claimActivity(...args: Parameters<RequestStore['claimActivity']>) {
    return this.activity.claimActivity(...args);
  }

  heartbeatActivity(...args: Parameters<RequestStore['heartbeatActivity']>) {
    return this.activity.heartbeatActivity(...args);
  }

  releaseActivity(...args: Parameters<RequestStore['releaseActivity']>) {
    return this.activity.releaseActivity(...args);
  }
}
