//! Diesel table definitions, one for both dialects (ids are UUID strings, JSON is text).

diesel::table! {
    tenants (id) {
        id -> Text,
        name -> Text,
        slug -> Text,
        is_active -> Bool,
        config_json -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        is_active -> Bool,
        created_at -> Timestamp,
        name -> Text,
        last_sign_in_at -> Nullable<Timestamp>,
        token_generation -> BigInt,
        last_tenant_id -> Nullable<Text>,
    }
}

diesel::table! {
    user_tenants (user_id, tenant_id) {
        user_id -> Text,
        tenant_id -> Text,
        role -> Text,
        joined_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    dashboards (id) {
        id -> Text,
        slug -> Text,
        title -> Text,
        description -> Text,
        spec_json -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tenant_dashboards (tenant_id, dashboard_id) {
        tenant_id -> Text,
        dashboard_id -> Text,
    }
}

diesel::table! {
    preferences (user_id, tenant_id, dashboard_id) {
        user_id -> Text,
        tenant_id -> Text,
        dashboard_id -> Text,
        filters_json -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_logs (id) {
        id -> BigInt,
        at -> Timestamp,
        tenant_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        target -> Text,
        outcome -> Text,
        request_id -> Text,
        detail_json -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        state -> Text,
        expires_at -> Timestamp,
        user_id -> Nullable<Text>,
    }
}

diesel::table! {
    signing_keys (kid) {
        kid -> Text,
        material -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
        verify_until -> Nullable<Timestamp>,
        alg -> Text,
        public_jwk -> Nullable<Text>,
    }
}

diesel::table! {
    admin_clients (client_id) {
        client_id -> Text,
        secret_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    metadata_epoch (id) {
        id -> Integer,
        epoch -> BigInt,
    }
}

diesel::table! {
    account_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        tenant_id -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        consumed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        user_agent -> Text,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sign_in_failures (account_key) {
        account_key -> Text,
        failures -> Integer,
        blocked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        created_at -> Timestamp,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        last_error -> Text,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_mfa (user_id) {
        user_id -> Text,
        secret_sealed -> Nullable<Text>,
        pending_sealed -> Nullable<Text>,
        enabled_at -> Nullable<Timestamp>,
        last_step -> BigInt,
    }
}

diesel::table! {
    mfa_recovery_codes (code_hash) {
        code_hash -> Text,
        user_id -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mfa_challenges (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        consumed_at -> Nullable<Timestamp>,
        attempts -> Integer,
    }
}

diesel::table! {
    identity_providers (id) {
        id -> Text,
        tenant_id -> Text,
        issuer -> Text,
        client_id -> Text,
        client_secret_sealed -> Text,
        email_domains -> Text,
        jit_enabled -> Bool,
        jit_role -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    identity_links (issuer, subject) {
        issuer -> Text,
        subject -> Text,
        user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(user_tenants -> users (user_id));
diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(user_sessions -> users (user_id));
diesel::joinable!(user_tenants -> tenants (tenant_id));
diesel::joinable!(tenant_dashboards -> tenants (tenant_id));
diesel::joinable!(tenant_dashboards -> dashboards (dashboard_id));

diesel::allow_tables_to_appear_in_same_query!(
    tenants,
    users,
    user_tenants,
    dashboards,
    tenant_dashboards,
    preferences,
    audit_logs,
    sessions,
    signing_keys,
    admin_clients,
    metadata_epoch,
    account_tokens,
    user_sessions,
    sign_in_failures,
    outbox,
    user_mfa,
    mfa_recovery_codes,
    mfa_challenges,
    identity_providers,
    identity_links,
);
