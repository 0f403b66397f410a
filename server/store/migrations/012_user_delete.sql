-- Deleting a user (an admin offboarding someone) joins the audit log: `old_role` is the role they had, `new_role` is
-- NULL (they have none now), `detail` how many open sessions ended. Their sessions go with the row (006: ON DELETE
-- CASCADE). Only DDL: the append-only triggers of 003 stay as they are.
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_action_or_user;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_or_user CHECK (
  (action_id IS NOT NULL AND idempotency_key IS NOT NULL AND reason IS NOT NULL)
  OR (action_id IS NULL AND action = 'user' AND target LIKE 'user:%'
      AND ((new_role IS NOT NULL
            AND event IN ('user-created', 'user-promoted', 'user-demoted', 'user-password-changed', 'user-signed-in'))
           OR (new_role IS NULL AND old_role IS NOT NULL AND event = 'user-deleted'))));
