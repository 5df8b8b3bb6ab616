DROP TABLE identity_links;
DROP TABLE identity_providers;
DROP TABLE mfa_challenges;
DROP TABLE mfa_recovery_codes;
DROP TABLE user_mfa;
ALTER TABLE users DROP COLUMN last_tenant_id;
ALTER TABLE signing_keys DROP COLUMN public_jwk;
ALTER TABLE signing_keys DROP COLUMN alg;
