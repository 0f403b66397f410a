-- User changes join the append-only audit log (issue 18): creating, promoting, demoting and re-passwording a user.
-- Such a row has no action: `action` is 'user', `target` is 'user:<name>', `actor`/`role` are who made the change,
-- `old_role`/`new_role` the target user's roles before and after. A password or its hash is never written here.
-- Only DDL: the append-only triggers of 003 fire on row changes and stay as they are.
ALTER TABLE audit_log ALTER COLUMN action_id DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN idempotency_key DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN reason DROP NOT NULL;
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS old_role text;
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS new_role text;
-- An action's row keeps everything 003 required; a user row names its user and the role it has now.
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_or_user CHECK (
  (action_id IS NOT NULL AND idempotency_key IS NOT NULL AND reason IS NOT NULL)
  OR (action_id IS NULL AND action = 'user' AND target LIKE 'user:%' AND new_role IS NOT NULL
      AND event IN ('user-created', 'user-promoted', 'user-demoted', 'user-password-changed')));
