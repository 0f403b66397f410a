-- Browser sessions (issue 6). The cookie holds a random token; only its SHA-256 is stored, so a copy of this table
-- (a backup, a replica) cannot be replayed as a session. The CSRF token is per session and sent back by the UI in
-- a header on every state-changing request. Deleting a user ends their sessions.
CREATE TABLE IF NOT EXISTS sessions (
  token_hash text PRIMARY KEY,
  user_name text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expires_at ON sessions (expires_at);
CREATE INDEX IF NOT EXISTS sessions_user_name ON sessions (user_name);
