-- Sign-in with an OpenID provider (issue 17). A user who signs in that way is a row of `users` like any other (their
-- sessions join it, so a role set at their next sign-in applies to every open session at once), marked with the
-- identity that owns it: `<issuer> <sub>`. Only that identity may sign in as that name, so a provider's user can
-- never take over a local user of the same name. Such a row's password hash matches no password.
ALTER TABLE users ADD COLUMN IF NOT EXISTS oidc_subject text UNIQUE;

-- Sign-ins join the audit log: `actor` and `target` are the user, `role`/`new_role` the role granted, `detail` how
-- (`password`, or `openid <issuer>`). Only DDL: the append-only triggers of 003 stay as they are.
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_action_or_user;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_or_user CHECK (
  (action_id IS NOT NULL AND idempotency_key IS NOT NULL AND reason IS NOT NULL)
  OR (action_id IS NULL AND action = 'user' AND target LIKE 'user:%' AND new_role IS NOT NULL
      AND event IN ('user-created', 'user-promoted', 'user-demoted', 'user-password-changed', 'user-signed-in')));
