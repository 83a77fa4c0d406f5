import { LoggerService } from '@backstage/backend-plugin-api';
import { PolicyStore } from '../../database/PolicyStore';
import { RequestStore } from '../../database/RequestStore';
import { AccessControl } from '../AccessControl';
import { AccountCatalog } from '../AccountCatalog';
import { ApproverDirectory } from '../ApproverDirectory';
import { Clock } from '../Clock';
import { EligibilityRechecker } from '../EligibilityRechecker';
import { RequestNotifier } from '../RequestNotifier';
import { SettingsService } from '../SettingsService';
import { TargetsService } from '../TargetsService';

/** What the request service works with; each of its parts takes what it uses. */
export interface RequestServiceDeps {
  requests: RequestStore;
  eligibilityPolicies: PolicyStore<'eligibility'>;
  approverPolicies: PolicyStore<'approver'>;
  settings: SettingsService;
  targets: TargetsService;
  access: AccessControl;
  approverDirectory: ApproverDirectory;
  /** Account owners and sensitive accounts, from the catalog. */
  accountCatalog: AccountCatalog;
  /** Re-checks eligibility when a request is decided. */
  eligibility: EligibilityRechecker;
  notifier: RequestNotifier;
  clock: Clock;
  logger: LoggerService;
}
