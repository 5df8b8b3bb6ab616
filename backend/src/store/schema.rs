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
    }
}

diesel::table! {
    user_tenants (user_id, tenant_id) {
        user_id -> Text,
        tenant_id -> Text,
        role -> Text,
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
    }
}

diesel::table! {
    signing_keys (kid) {
        kid -> Text,
        material -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
        verify_until -> Nullable<Timestamp>,
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

diesel::joinable!(user_tenants -> users (user_id));
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
);
