// Who a user can be: the roles and the rules for names and passwords, shared by the configuration (the first admin),
// `npm run add-user`, the users route and the store.

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a user name may be: it appears in the audit log and the UI, so nothing that needs escaping to read. */
export const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;
export const USER_NAME_RULE = 'letters, digits and . _ @ - only, at most 64';
export const MIN_PASSWORD_LENGTH = 12;
