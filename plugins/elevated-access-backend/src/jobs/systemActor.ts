/** The actor of everything the backend does on its own (grants, ends, expiries). */
export const SYSTEM_ACTOR = 'system:elevated-access';
