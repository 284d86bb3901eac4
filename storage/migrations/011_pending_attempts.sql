-- Sign-in attempts being checked right now. An attempt is counted before its
-- secret is checked, so that guesses sent in parallel cannot outrun the
-- lockout; until it is settled it holds one of the account's places, up to
-- pending_until (after which it was lost to a crash and no longer counts).
ALTER TABLE users ADD COLUMN pending_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN pending_until TEXT NOT NULL DEFAULT '';
