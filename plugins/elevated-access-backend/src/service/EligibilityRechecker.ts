import { PolicyStore } from '../database/PolicyStore';
import {
  EligibilityRecheck,
  recheckEligibility,
  RecheckedRequest,
} from '../domain/eligibility';
import { RequesterDirectory } from './RequesterDirectory';
import { SettingsService } from './SettingsService';
import { TargetsService } from './TargetsService';

/**
 * Re-checks, with the policies, settings, organisation and catalog as they
 * are now, that a request's requester is still eligible under its terms.
 * Used when a request is decided and when it is granted.
 */
export class EligibilityRechecker {
  constructor(
    private readonly deps: {
      eligibilityPolicies: PolicyStore<'eligibility'>;
      settings: SettingsService;
      targets: TargetsService;
      requesters: RequesterDirectory;
    },
  ) {}

  async recheck(
    request: RecheckedRequest & { requesterRef: string },
  ): Promise<EligibilityRecheck> {
    const [tree, settings, policies, requester] = await Promise.all([
      this.deps.targets.tree(),
      this.deps.settings.current(),
      this.deps.eligibilityPolicies.list(),
      this.deps.requesters.standingOf(request.requesterRef),
    ]);
    return recheckEligibility({ requester, policies, tree, settings, request });
  }
}
