export interface Config {
  elevatedAccess?: {
    /**
     * Entity refs (groups or users) of the two privileged roles. The policy
     * module reads them; the backend plugin declares the same keys.
     */
    roles?: {
      /** Admins: manage policies and settings, act on every request (default none). */
      admins?: string[];
      /** Auditors: read every request, its activity and the exports (default none). */
      auditors?: string[];
    };
  };
}
