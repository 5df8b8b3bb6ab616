//! Structural checks of the deployment artifacts: `docker-compose.yml`, `Dockerfile`,
//! `.dockerignore`, `deploy/Caddyfile` and `.env.example`.
//!
//! No Docker engine runs on the development machines, so these files cannot be run here;
//! these tests pin the properties that matter for production instead: every piece is
//! there, replicas start only after migrations, every long-running service is health
//! checked, only the TLS proxy is reachable from outside, the admin listener is never
//! proxied, the image runs as an unprivileged user, and no secret is written in any file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_yaml_ng::{Mapping, Value};

const COMPOSE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docker-compose.yml");
const DOCKERFILE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../Dockerfile");
const DOCKERIGNORE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../.dockerignore");
const CADDYFILE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/Caddyfile");
const ENV_EXAMPLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../.env.example");

const REPLICAS: [&str; 2] = ["kyros-1", "kyros-2"];
const PUBLIC_PORT: &str = "8080";
const ADMIN_PORT: &str = "8081";

// ---------------------------------------------------------------------------------------
// Reading the files
// ---------------------------------------------------------------------------------------

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The compose file with aliases resolved and `<<:` merge keys applied, as Docker Compose
/// sees it (before `${…}` interpolation, which is what the secret checks inspect).
fn compose() -> Value {
    let mut value: Value = serde_yaml_ng::from_str(&read(COMPOSE_PATH))
        .expect("docker-compose.yml must be valid YAML");
    value
        .apply_merge()
        .expect("the `<<:` merge keys of docker-compose.yml must merge mappings");
    value
}

fn services(compose: &Value) -> &Mapping {
    compose
        .get("services")
        .and_then(Value::as_mapping)
        .expect("docker-compose.yml must have a `services` mapping")
}

fn service<'a>(compose: &'a Value, name: &str) -> &'a Value {
    services(compose)
        .get(name)
        .unwrap_or_else(|| panic!("docker-compose.yml must define the service `{name}`"))
}

fn service_names(compose: &Value) -> Vec<String> {
    services(compose)
        .keys()
        .map(|k| k.as_str().expect("service names are strings").to_owned())
        .collect()
}

/// A scalar as compose reads it (numbers and booleans become their text).
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A service's environment, in either compose form (mapping, or list of `KEY=VALUE`).
/// A key without a value passes the variable through from the host environment; it is
/// recorded as `${KEY}`.
fn environment(service: &Value) -> BTreeMap<String, String> {
    env_entries(service.get("environment"))
}

/// `KEY: value` pairs of a compose mapping or `KEY=value` list (environment, build args).
fn env_entries(entries: Option<&Value>) -> BTreeMap<String, String> {
    match entries {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Mapping(map)) => map
            .iter()
            .map(|(k, v)| {
                let key = k.as_str().expect("environment keys are strings").to_owned();
                let value = if v.is_null() {
                    format!("${{{key}}}")
                } else {
                    scalar(v).unwrap_or_else(|| panic!("environment `{key}` must be a scalar"))
                };
                (key, value)
            })
            .collect(),
        Some(Value::Sequence(list)) => list
            .iter()
            .map(|item| {
                let item = item.as_str().expect("environment list items are strings");
                match item.split_once('=') {
                    Some((k, v)) => (k.to_owned(), v.to_owned()),
                    None => (item.to_owned(), format!("${{{item}}}")),
                }
            })
            .collect(),
        Some(other) => panic!("environment must be a mapping or a list, got {other:?}"),
    }
}

/// Every string scalar of a YAML document (values and keys), depth first.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Sequence(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Mapping(map) => map.iter().for_each(|(k, v)| {
            strings(k, out);
            strings(v, out);
        }),
        Value::Tagged(tagged) => strings(&tagged.value, out),
        _ => {}
    }
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => items.iter().filter_map(scalar).collect(),
        Some(other) => scalar(other).into_iter().collect(),
    }
}

// ---------------------------------------------------------------------------------------
// What counts as a literal secret
// ---------------------------------------------------------------------------------------

/// Whether `value` is exactly one compose interpolation of a variable with no literal
/// fallback: `${VAR}`, `${VAR:?message}` or `${VAR?message}`. A default (`${VAR:-x}`,
/// `${VAR-x}`) would put a literal secret in the file, so it does not count.
fn is_required_interpolation(value: &str) -> bool {
    let Some(inner) = value
        .trim()
        .strip_prefix("${")
        .and_then(|v| v.strip_suffix('}'))
    else {
        return false;
    };
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, rest) = inner.split_at(name_len);
    let name_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    name_ok
        && !rest.contains('$')
        && (rest.is_empty() || rest.starts_with(":?") || rest.starts_with('?'))
}

/// Environment keys whose value is secret material: a `_`-separated word PASSWORD,
/// SECRET, KEY (e.g. KYROS_SIGNING_KEY) or TOKEN, unless the name ends in a word that makes
/// it a setting about the secret (KYROS_USER_TOKEN_TTL, KYROS_ADMIN_CLIENT_ID, …_FILE).
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_uppercase();
    let words: Vec<&str> = key.split('_').collect();
    let secret = words
        .iter()
        .any(|w| matches!(*w, "PASSWORD" | "PASSWD" | "SECRET" | "KEY" | "TOKEN"));
    let about_it = words
        .last()
        .is_some_and(|w| matches!(*w, "TTL" | "ID" | "FILE" | "PATH" | "LIFETIME"));
    secret && !about_it
}

/// The password of a `scheme://user:password@host/…` URL, if it has one.
fn url_password(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let (userinfo, _) = rest.rsplit_once('@')?;
    userinfo.split_once(':').map(|(_, password)| password)
}

/// Why `key = value` writes a secret literally into the file, if it does.
fn literal_secret(key: &str, value: &str) -> Option<String> {
    if is_secret_key(key) {
        // A path to a key file (e.g. a TLS key mounted as a Docker secret) is not key material.
        let file_reference = value.starts_with('/');
        if !file_reference && !is_required_interpolation(value) {
            return Some(format!(
                "{key} is secret: its value must be `${{VAR:?…}}` or `${{VAR}}` from the \
                 environment/.env, not a literal or a default ({value:?})"
            ));
        }
    }
    if let Some(password) = url_password(value) {
        if !is_required_interpolation(password) {
            return Some(format!(
                "{key} carries a password in its URL: the password must be `${{VAR:?…}}` \
                 interpolation, not a literal or a default ({password:?})"
            ));
        }
    }
    None
}

#[test]
fn the_literal_secret_check_itself_tells_interpolation_from_literals() {
    for ok in [
        "${KYROS_SIGNING_KEY}",
        "${KYROS_SIGNING_KEY:?set it (at least 32 bytes)}",
        "${POSTGRES_PASSWORD?required}",
    ] {
        assert!(
            is_required_interpolation(ok),
            "{ok} is a required interpolation"
        );
        assert_eq!(literal_secret("KYROS_SIGNING_KEY", ok), None, "{ok}");
    }
    for bad in [
        "hunter2",
        "${KYROS_DEMO_PASSWORD:-kyros-demo-2026}",
        "${KYROS_SIGNING_KEY-fallback}",
        "prefix-${KYROS_SIGNING_KEY}",
        "${A}${B}",
        "",
    ] {
        assert!(
            literal_secret("KYROS_DEMO_PASSWORD", bad).is_some(),
            "{bad:?} must count as a literal secret"
        );
    }
    assert!(literal_secret("DATABASE_URL", "postgres://kyros:hunter2@postgres/kyros").is_some());
    assert!(literal_secret("DATABASE_URL", "postgres://kyros:${PG:-pw}@postgres/kyros").is_some());
    assert_eq!(
        literal_secret(
            "DATABASE_URL",
            "postgres://kyros:${PG:?set PG}@postgres:5432/kyros"
        ),
        None
    );
    assert_eq!(
        literal_secret("DATABASE_URL", "postgres://kyros@postgres/kyros"),
        None
    );
    assert_eq!(literal_secret("REDIS_URL", "redis://redis:6379"), None);
    assert_eq!(
        literal_secret("KYROS_TLS_KEY", "/run/secrets/tls.key"),
        None
    );
    assert_eq!(literal_secret("KYROS_BIND", "0.0.0.0:8080"), None);
    assert!(is_secret_key("KYROS_SIGNING_KEY") && is_secret_key("POSTGRES_PASSWORD"));
    assert!(is_secret_key("KYROS_ADMIN_CLIENT_SECRET"));
    assert!(!is_secret_key("KYROS_USER_TOKEN_TTL") && !is_secret_key("KYROS_ADMIN_CLIENT_ID"));
}

// ---------------------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------------------

#[test]
fn compose_defines_the_whole_production_topology() {
    let compose = compose();
    let names = service_names(&compose);
    for name in [
        "postgres", "redis", "migrate", "kyros-1", "kyros-2", "proxy",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "docker-compose.yml must define the service `{name}` (has: {names:?})"
        );
    }
    let image = |name: &str| {
        service(&compose, name)
            .get("image")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        image("postgres").starts_with("postgres:16"),
        "the metadata database must be postgres:16, got {:?}",
        image("postgres")
    );
    assert!(
        image("redis").starts_with("redis:7"),
        "the session store must be redis:7, got {:?}",
        image("redis")
    );
    assert!(
        image("proxy").starts_with("caddy:2"),
        "the TLS proxy must be caddy:2, got {:?}",
        image("proxy")
    );
    for name in ["migrate", "kyros-1", "kyros-2"] {
        assert!(
            service(&compose, name).get("build").is_some(),
            "`{name}` must be built from the repository's Dockerfile (`build: .`)"
        );
    }
}

#[test]
fn every_long_running_service_has_a_health_check() {
    let compose = compose();
    for name in service_names(&compose) {
        let svc = service(&compose, &name);
        let one_shot = svc
            .get("restart")
            .and_then(Value::as_str)
            .is_some_and(|r| r == "no");
        if one_shot {
            continue;
        }
        let check = svc.get("healthcheck").unwrap_or_else(|| {
            panic!(
                "`{name}` runs for the lifetime of the deployment, so it needs a healthcheck \
                 (dependants wait on `service_healthy`)"
            )
        });
        assert!(
            check.get("disable").and_then(Value::as_bool) != Some(true),
            "`{name}`'s healthcheck must not be disabled"
        );
        let test = string_list(check.get("test"));
        assert!(
            !test.is_empty() && test != ["NONE"],
            "`{name}`'s healthcheck needs a `test` command, got {test:?}"
        );
    }
    let migrate = service(&compose, "migrate");
    assert_eq!(
        migrate.get("restart").and_then(Value::as_str),
        Some("no"),
        "`migrate` is a one-shot job: `restart: \"no\"`, or it would re-run forever"
    );
    assert_eq!(
        string_list(migrate.get("command")),
        ["migrate"],
        "`migrate` must run `kyros migrate`"
    );
    for replica in REPLICAS {
        let test = string_list(
            service(&compose, replica)
                .get("healthcheck")
                .and_then(|h| h.get("test")),
        )
        .join(" ");
        assert!(
            test.contains("/ready"),
            "`{replica}` must be health checked on readiness (/ready: database + data dir), \
             not only liveness; got {test:?}"
        );
    }
}

fn condition<'a>(svc: &'a Value, dependency: &str) -> Option<&'a str> {
    svc.get("depends_on")
        .and_then(|d| d.get(dependency))
        .and_then(|d| d.get("condition"))
        .and_then(Value::as_str)
}

#[test]
fn replicas_start_after_migrations_on_healthy_postgres_and_redis() {
    let compose = compose();
    assert_eq!(
        condition(service(&compose, "migrate"), "postgres"),
        Some("service_healthy"),
        "`migrate` must wait for PostgreSQL to be healthy"
    );
    for replica in REPLICAS {
        let svc = service(&compose, replica);
        for (dependency, expected) in [
            ("postgres", "service_healthy"),
            ("redis", "service_healthy"),
            ("migrate", "service_completed_successfully"),
        ] {
            assert_eq!(
                condition(svc, dependency),
                Some(expected),
                "`{replica}` must depend on `{dependency}` with condition `{expected}` \
                 (replicas must never serve before the schema, the kyros_app role and the \
                 row-level security policies exist)"
            );
        }
        assert_eq!(
            string_list(svc.get("command")),
            ["serve"],
            "`{replica}` must run `kyros serve`"
        );
    }
}

#[test]
fn replicas_share_postgres_redis_the_signing_key_and_the_tenant_data() {
    let compose = compose();
    let envs: Vec<_> = REPLICAS
        .iter()
        .map(|r| environment(service(&compose, r)))
        .collect();
    for (replica, env) in REPLICAS.iter().zip(&envs) {
        let database = env.get("DATABASE_URL").unwrap_or_else(|| {
            panic!("`{replica}` needs DATABASE_URL (the shared PostgreSQL metadata database)")
        });
        assert!(
            database.starts_with("postgres://") || database.starts_with("postgresql://"),
            "`{replica}`'s DATABASE_URL must point at PostgreSQL (several instances cannot \
             share the embedded SQLite file), got {database:?}"
        );
        let redis = env.get("REDIS_URL").unwrap_or_else(|| {
            panic!("`{replica}` needs REDIS_URL (sessions shared between replicas)")
        });
        assert!(
            redis.starts_with("redis://"),
            "`{replica}`'s REDIS_URL must be a redis:// URL (the only scheme Kyros accepts), \
             got {redis:?}"
        );
        assert!(
            env.get("KYROS_BIND").is_some_and(|b| b.ends_with(":8080")),
            "`{replica}` must listen publicly on :8080 inside the network (KYROS_BIND)"
        );
        assert!(
            env.contains_key("KYROS_SIGNING_KEY"),
            "`{replica}` needs KYROS_SIGNING_KEY: tokens and session cookies of one replica \
             must verify on the other"
        );
    }
    for var in [
        "DATABASE_URL",
        "REDIS_URL",
        "KYROS_SIGNING_KEY",
        "KYROS_DATA_DIR",
    ] {
        assert_eq!(
            envs[0].get(var),
            envs[1].get(var),
            "both replicas must use the same {var}, or one session would not work on both"
        );
    }

    // The same named volume at KYROS_DATA_DIR in both replicas: tenant Parquet files.
    let data_dir = envs[0]
        .get("KYROS_DATA_DIR")
        .expect("replicas need KYROS_DATA_DIR (where the tenant data volume is mounted)")
        .clone();
    let volume_at = |replica: &str| {
        string_list(service(&compose, replica).get("volumes"))
            .into_iter()
            .find_map(|v| {
                let mut parts = v.split(':');
                let (source, target) = (parts.next()?, parts.next()?);
                (target == data_dir).then(|| source.to_owned())
            })
    };
    let first = volume_at("kyros-1");
    assert!(
        first.is_some(),
        "kyros-1 must mount the tenant data volume at {data_dir}"
    );
    assert_eq!(
        first,
        volume_at("kyros-2"),
        "both replicas must mount the same tenant data volume at {data_dir}"
    );

    // X-Forwarded-For is believed only from the proxy.
    let proxy_ip = service(&compose, "proxy")
        .get("networks")
        .and_then(Value::as_mapping)
        .and_then(|nets| nets.values().find_map(|n| n.get("ipv4_address")))
        .and_then(Value::as_str)
        .expect("the proxy needs a fixed ipv4_address so KYROS_TRUSTED_PROXIES can name it");
    for (replica, env) in REPLICAS.iter().zip(&envs) {
        let trusted = env.get("KYROS_TRUSTED_PROXIES").unwrap_or_else(|| {
            panic!("`{replica}` needs KYROS_TRUSTED_PROXIES, or every client shares the proxy's IP")
        });
        assert!(
            trusted.split(',').map(str::trim).any(|ip| ip == proxy_ip),
            "`{replica}`'s KYROS_TRUSTED_PROXIES ({trusted}) must name the proxy ({proxy_ip})"
        );
    }
}

#[test]
fn only_the_proxy_publishes_ports_and_never_the_admin_listener() {
    let compose = compose();
    for name in service_names(&compose) {
        let ports = string_list(service(&compose, &name).get("ports"));
        if name == "proxy" {
            continue;
        }
        assert!(
            ports.is_empty(),
            "only the TLS proxy may publish ports; `{name}` publishes {ports:?}"
        );
        let network_mode = service(&compose, &name)
            .get("network_mode")
            .and_then(Value::as_str);
        assert_ne!(
            network_mode,
            Some("host"),
            "`{name}` must not use host networking (it would expose every port)"
        );
    }
    let ports = string_list(service(&compose, "proxy").get("ports"));
    let container_port = |p: &str| {
        p.rsplit(':')
            .next()
            .unwrap_or(p)
            .split('/')
            .next()
            .unwrap_or(p)
            .to_owned()
    };
    let published: Vec<String> = ports.iter().map(|p| container_port(p)).collect();
    for needed in ["443", "80"] {
        assert!(
            published.iter().any(|p| p == needed),
            "the proxy must publish {needed} (HTTPS, and HTTP for the redirect/ACME); got {ports:?}"
        );
    }
    for forbidden in [PUBLIC_PORT, ADMIN_PORT] {
        assert!(
            !published.iter().any(|p| p == forbidden),
            "the proxy must not publish the backend port {forbidden}; got {ports:?}"
        );
    }
    let mounts = string_list(service(&compose, "proxy").get("volumes")).join(" ");
    assert!(
        mounts.contains("deploy/Caddyfile:/etc/caddy/Caddyfile"),
        "the proxy must use deploy/Caddyfile, got volumes {mounts:?}"
    );
}

#[test]
fn no_secret_is_written_in_the_compose_file() {
    let compose = compose();
    let mut problems = Vec::new();
    for name in service_names(&compose) {
        for (key, value) in environment(service(&compose, &name)) {
            if let Some(problem) = literal_secret(&key, &value) {
                problems.push(format!("service `{name}`: {problem}"));
            }
        }
        let args = env_entries(
            service(&compose, &name)
                .get("build")
                .and_then(|b| b.get("args")),
        );
        for key in args.keys().filter(|k| is_secret_key(k)) {
            problems.push(format!(
                "service `{name}`: build arg {key} would bake a secret into the image layers"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "secrets must come from the environment/.env as `${{VAR:?…}}`:\n{}",
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Dockerfile and .dockerignore
// ---------------------------------------------------------------------------------------

/// Dockerfile instructions (keyword upper-cased, arguments), comments dropped and line
/// continuations joined.
fn dockerfile_instructions() -> Vec<(String, String)> {
    let text = read(DOCKERFILE_PATH);
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        current.push_str(trimmed);
        let full = std::mem::take(&mut current);
        let full = full.trim();
        if full.is_empty() {
            continue;
        }
        let (keyword, args) = full.split_once(char::is_whitespace).unwrap_or((full, ""));
        instructions.push((keyword.to_ascii_uppercase(), args.trim().to_owned()));
    }
    instructions
}

#[test]
fn the_dockerfile_is_multi_stage_unprivileged_and_builds_shell_and_binary() {
    let instructions = dockerfile_instructions();
    let stages: Vec<usize> = instructions
        .iter()
        .enumerate()
        .filter(|(_, (k, _))| k == "FROM")
        .map(|(i, _)| i)
        .collect();
    assert!(
        stages.len() >= 2,
        "the Dockerfile must be multi-stage (a build stage with the toolchains, a slim \
         runtime stage), found {} FROM",
        stages.len()
    );
    let runtime_start = *stages.last().expect("at least one FROM");
    let runtime = &instructions[runtime_start..];
    let runtime_base = &runtime[0].1;
    assert!(
        !runtime_base.starts_with("rust"),
        "the runtime stage must not ship the Rust toolchain (FROM {runtime_base})"
    );

    let users: Vec<&str> = runtime
        .iter()
        .filter(|(k, _)| k == "USER")
        .map(|(_, a)| a.as_str())
        .collect();
    let user = users
        .last()
        .expect("the runtime stage must switch to an unprivileged USER (it would run as root)");
    let name = user.split(':').next().unwrap_or(user);
    assert!(
        !matches!(name, "root" | "0" | ""),
        "the runtime stage must not run as root, got USER {user}"
    );

    let runs: String = instructions
        .iter()
        .filter(|(k, _)| k == "RUN")
        .map(|(_, a)| a.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        runs.contains("trunk build --release"),
        "the image must build the browser shell with `trunk build --release`"
    );
    assert!(
        runs.contains("cargo build --release") && runs.contains("kyros-backend"),
        "the image must build the backend with `cargo build --release -p kyros-backend`"
    );

    let entrypoint = runtime
        .iter()
        .rev()
        .find(|(k, _)| k == "ENTRYPOINT")
        .map(|(_, a)| a.as_str())
        .unwrap_or_default();
    assert!(
        entrypoint.contains("kyros"),
        "the runtime stage's ENTRYPOINT must be the kyros binary, got {entrypoint:?}"
    );
    let exposed: String = runtime
        .iter()
        .filter(|(k, _)| k == "EXPOSE")
        .map(|(_, a)| a.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        exposed.split_whitespace().any(|p| p == PUBLIC_PORT),
        "the runtime stage must EXPOSE the public port {PUBLIC_PORT}, got {exposed:?}"
    );
    let env: String = runtime
        .iter()
        .filter(|(k, _)| k == "ENV")
        .map(|(_, a)| a.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        env.contains("KYROS_STATIC_DIR=") && env.contains("KYROS_DATA_DIR="),
        "the runtime stage must set KYROS_STATIC_DIR (the built shell) and KYROS_DATA_DIR"
    );
}

#[test]
fn the_image_bakes_in_no_secret() {
    let mut problems = Vec::new();
    for (keyword, args) in dockerfile_instructions() {
        if keyword != "ENV" && keyword != "ARG" {
            continue;
        }
        for assignment in args.split_whitespace() {
            let key = assignment.split('=').next().unwrap_or(assignment);
            if is_secret_key(key) || key == "DATABASE_URL" || key == "REDIS_URL" {
                problems.push(format!("{keyword} {assignment}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the Dockerfile must not set secrets (they would live in the image layers): {problems:?}"
    );
    let ignore = read(DOCKERIGNORE_PATH);
    let entries: Vec<&str> = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for needed in [
        "target",
        "node_modules",
        "dist",
        "data/processed",
        ".git",
        ".env",
    ] {
        assert!(
            entries.contains(&needed),
            ".dockerignore must exclude {needed} from the build context (got {entries:?})"
        );
    }
}

// ---------------------------------------------------------------------------------------
// deploy/Caddyfile and .env.example
// ---------------------------------------------------------------------------------------

/// The Caddyfile without comments.
fn caddyfile() -> String {
    read(CADDYFILE_PATH)
        .lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_proxy_balances_the_public_listener_and_never_the_admin_port() {
    let caddy = caddyfile();
    assert!(
        !caddy.contains(ADMIN_PORT),
        "deploy/Caddyfile must not route to the admin listener :{ADMIN_PORT} (admin API, \
         /metrics): operators reach it on the private network"
    );
    let upstream_lines: Vec<&str> = caddy
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("reverse_proxy"))
        .collect();
    assert!(
        !upstream_lines.is_empty(),
        "deploy/Caddyfile must reverse_proxy to the replicas"
    );
    for line in &upstream_lines {
        for upstream in line
            .split_whitespace()
            .skip(1)
            .filter(|w| *w != "{" && !w.starts_with('@'))
        {
            assert!(
                upstream.ends_with(&format!(":{PUBLIC_PORT}")),
                "every upstream must be a replica's public port :{PUBLIC_PORT}, got {upstream}"
            );
        }
    }
    let upstreams = upstream_lines.join(" ");
    for replica in REPLICAS {
        assert!(
            upstreams.contains(&format!("{replica}:{PUBLIC_PORT}")),
            "deploy/Caddyfile must balance over {replica}:{PUBLIC_PORT}, got {upstreams:?}"
        );
    }
    for directive in [
        "lb_policy round_robin",
        "health_uri /ready",
        "header_up X-Forwarded-For",
    ] {
        assert!(
            caddy.contains(directive),
            "deploy/Caddyfile must contain `{directive}`"
        );
    }
    assert!(
        caddy.contains("tls "),
        "deploy/Caddyfile must terminate TLS (`tls internal` or ACME)"
    );
}

#[test]
fn the_env_example_lists_every_required_variable_without_real_values() {
    let example = read(ENV_EXAMPLE_PATH);
    let values: BTreeMap<String, String> = example
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    // Every `${VAR:?…}` / `${VAR?…}` of the compose file must be documented in .env.example.
    let mut texts = Vec::new();
    strings(&compose(), &mut texts);
    let mut required: Vec<String> = texts
        .iter()
        .flat_map(|text| text.split("${").skip(1))
        .filter_map(|rest| {
            let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
            let (name, after) = rest.split_at(name_len);
            (after.starts_with(":?") || after.starts_with('?')).then(|| name.to_owned())
        })
        .collect();
    required.sort();
    required.dedup();
    assert!(
        !required.is_empty(),
        "docker-compose.yml must require its secrets with `${{VAR:?…}}`"
    );
    for name in &required {
        assert!(
            values.contains_key(name),
            ".env.example must list {name} (required by docker-compose.yml)"
        );
    }
    for (key, value) in &values {
        if is_secret_key(key) {
            let placeholder = value.is_empty() || value.to_ascii_lowercase().contains("change-me");
            assert!(
                placeholder,
                ".env.example must not hold a real {key}: leave it empty (or `change-me`)"
            );
        }
    }
}

#[test]
fn the_artifacts_are_where_the_docs_say() {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    for file in ["docs/deployment.md", "bench/load.sh", "bench/README.md"] {
        assert!(
            root.join(file).is_file(),
            "{file} must exist (deployment docs and load benchmark of the production path)"
        );
    }
}
