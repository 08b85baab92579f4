-- A TOTP code works once: the last time step used to sign in is kept, and a code of that
-- step or an earlier one is refused (RFC 6238 section 5.2).
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
