import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** The entity ref a link names, written in full, or undefined when it is none. */
export function entityRefOf(text: string | null): string | undefined {
  if (!text) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(text.trim()));
  } catch {
    return undefined;
  }
}

/** What a link to the request form asks for. */
export interface LinkedRequest {
  accountId?: string;
  permissionSetArn?: string;
  entityRef?: string;
}

/**
 * What a link to the form asks for (`?accountId=&permissionSetArn=&entity=`,
 * as the entity card writes it): the account and permission set to choose,
 * and the entity the justification starts with.
 */
export function linkedRequest(params: URLSearchParams): LinkedRequest {
  return {
    accountId: params.get('accountId')?.trim() || undefined,
    permissionSetArn: params.get('permissionSetArn')?.trim() || undefined,
    entityRef: entityRefOf(params.get('entity')),
  };
}
