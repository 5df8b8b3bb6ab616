//! Typed settings, read from the environment once at start and validated.
//!
//! A bad value stops the process with an error naming the variable; nothing here panics.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

/// Where the metadata lives.
#[derive(Debug, Clone)]
pub enum DatabaseSettings {
    /// Embedded default: a SQLite file.
    Sqlite(PathBuf),
    /// `postgres://…` (the URL may carry a password, so it is kept secret).
    Postgres(SecretString),
}

impl DatabaseSettings {
    pub fn is_postgres(&self) -> bool {
        matches!(self, DatabaseSettings::Postgres(_))
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub admin_bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database: DatabaseSettings,
    /// Active HS256 key shared with external verifiers; `None` → a random key kept in the key ring.
    pub signing_key: Option<SecretString>,
    pub user_token_ttl: Duration,
    pub tenant_token_ttl: Duration,
    pub demo_password: SecretString,
    pub issuer: String,
    /// Generate demo tenant data on start when files are missing.
    pub generate_demo_data: bool,
    /// Rows per dataset for generated demo data.
    pub demo_rows: usize,
    /// Memory bound of the chart cache, bytes.
    pub cache_bytes: u64,
    /// Memory bound of the decoded tenant data kept between computations, bytes
    /// (`KYROS_DATA_CACHE_MB`; 0 = read the files for every computation).
    pub data_cache_bytes: u64,
    /// How long memberships and dashboard assignments may be remembered
    /// (`KYROS_METADATA_CACHE_SECS`; `None` = ask the database on every request).
    pub metadata_cache_ttl: Option<Duration>,
    /// The built shell (`KYROS_STATIC_DIR`); `None` → looked up next to the executable.
    pub static_dir: Option<PathBuf>,
    /// The first admin API client (`KYROS_ADMIN_CLIENT_ID` / `KYROS_ADMIN_CLIENT_SECRET`).
    pub admin_client: Option<(String, SecretString)>,
    /// Login and token requests per minute per client IP.
    pub login_rate_per_minute: u32,
    /// Data requests per minute per tenant.
    pub data_rate_per_minute: u32,
    /// Proxies whose `X-Forwarded-For` is believed (`KYROS_TRUSTED_PROXIES`, comma-separated IPs).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Longest time a request may take before it is answered 503.
    pub request_timeout: Duration,
    /// `REDIS_URL`: sessions (and shared rate-limit counters) in Redis instead of the
    /// metadata database. Kept secret: the URL may carry a password.
    pub redis_url: Option<SecretString>,
    /// How long to wait for a pooled connection to PostgreSQL/SQLite or Redis before
    /// answering 503 (`KYROS_DEPENDENCY_TIMEOUT`, seconds).
    pub dependency_timeout: Duration,
    /// Native TLS (`KYROS_TLS_CERT` and `KYROS_TLS_KEY`, PEM files): both or neither.
    pub tls: Option<TlsFiles>,
    /// Accounts: invitations, passwords, mail.
    pub accounts: AccountSettings,
    /// `KYROS_SIGNING_ALG`: how tokens are signed.
    pub signing_alg: SigningAlg,
    /// `KYROS_KEY_ENCRYPTION_KEY`: seals secrets at rest (see `auth::kek`).
    pub key_encryption_key: Option<SecretString>,
    /// `KYROS_SESSION_IDLE`: a browser session unused this long ends (30 min).
    pub session_idle: Duration,
    /// `KYROS_SESSION_MAX`: a browser session ends this long after sign-in, whatever its
    /// use (12 h).
    pub session_max: Duration,
    /// The global OpenID Connect provider (`KYROS_OIDC_*`), if configured.
    pub oidc: Option<OidcSettings>,
}

/// How tokens are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningAlg {
    /// HMAC-SHA256 with a shared secret (the default; verifiers need the secret).
    Hs256,
    /// Ed25519 (public keys at `/.well-known/jwks.json`).
    EdDsa,
    /// RSA PKCS#1 v1.5 with SHA-256, 2048-bit keys (public keys published likewise).
    Rs256,
}

impl SigningAlg {
    pub fn as_str(&self) -> &'static str {
        match self {
            SigningAlg::Hs256 => "HS256",
            SigningAlg::EdDsa => "EdDSA",
            SigningAlg::Rs256 => "RS256",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_uppercase().as_str() {
            "HS256" => Some(SigningAlg::Hs256),
            "EDDSA" => Some(SigningAlg::EdDsa),
            "RS256" => Some(SigningAlg::Rs256),
            _ => None,
        }
    }
}

/// The global OpenID Connect provider.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// Where the provider sends the browser back (`…/bff/sso/callback`).
    pub redirect_url: String,
    /// Email domains routed to this provider (`KYROS_OIDC_EMAIL_DOMAINS`); it is always
    /// reachable as `?provider=global`.
    pub email_domains: Vec<String>,
}

/// Users, invitations, password policy and outgoing mail.
#[derive(Debug, Clone)]
pub struct AccountSettings {
    /// `KYROS_PUBLIC_URL`: the origin people reach Kyros at (links in mails; behind a
    /// proxy, the proxy's origin). Default: the public listener's own origin.
    pub public_url: String,
    /// `KYROS_SMTP_URL`: deliver mail over SMTP (`smtp://user:pass@host:port`,
    /// `smtps://…`); unset = write it to the log and the outbox only.
    pub smtp_url: Option<SecretString>,
    /// `KYROS_MAIL_FROM`: the sender of every mail.
    pub mail_from: String,
    /// `KYROS_INVITE_TTL`: how long an invitation link works (seconds; 72 h).
    pub invite_ttl: Duration,
    /// `KYROS_RESET_TTL`: how long a password-reset link works (seconds; 30 min).
    pub reset_ttl: Duration,
    /// `KYROS_PASSWORD_MIN_LENGTH`: fewest characters in a password (12).
    pub password_min_chars: usize,
    /// `KYROS_INVITES_PER_HOUR`: invitations a tenant's admins may send per hour (100).
    pub invites_per_hour: u32,
    /// `KYROS_SIGNIN_BACKOFF_AFTER`: failed sign-ins of one account before each further
    /// attempt waits (1 s, doubling, at most 15 min) (5).
    pub signin_backoff_after: u32,
}

/// PEM certificate chain and private key for native TLS.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// A configuration problem, naming the variable at fault.
#[derive(Debug, thiserror::Error)]
#[error("invalid {var}: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub reason: String,
}

fn invalid(var: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        reason: reason.into(),
    }
}

pub const DEFAULT_DEMO_PASSWORD: &str = "kyros-demo-2026";
const MIN_SIGNING_KEY_BYTES: usize = 32;
const MAX_TTL_SECONDS: u64 = 7 * 24 * 3600;

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment in production, a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let bind = parse_addr("KYROS_BIND", get("KYROS_BIND"), "127.0.0.1:8080")?;
        let admin_bind = parse_addr(
            "KYROS_ADMIN_BIND",
            get("KYROS_ADMIN_BIND"),
            "127.0.0.1:8081",
        )?;
        let data_dir = PathBuf::from(get("KYROS_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database = parse_database(get("DATABASE_URL"), &data_dir)?;

        let signing_key = match get("KYROS_SIGNING_KEY") {
            Some(key) if key.len() < MIN_SIGNING_KEY_BYTES => {
                return Err(invalid(
                    "KYROS_SIGNING_KEY",
                    format!(
                        "must be at least {MIN_SIGNING_KEY_BYTES} bytes, got {}",
                        key.len()
                    ),
                ))
            }
            other => other.map(SecretString::from),
        };

        let user_token_ttl = parse_ttl("KYROS_USER_TOKEN_TTL", get("KYROS_USER_TOKEN_TTL"), 3600)?;
        let tenant_token_ttl = parse_ttl(
            "KYROS_TENANT_TOKEN_TTL",
            get("KYROS_TENANT_TOKEN_TTL"),
            1800,
        )?;
        let demo_password = SecretString::from(
            get("KYROS_DEMO_PASSWORD").unwrap_or_else(|| DEFAULT_DEMO_PASSWORD.into()),
        );
        if demo_password.expose_secret().len() < 8 {
            return Err(invalid(
                "KYROS_DEMO_PASSWORD",
                "must be at least 8 characters",
            ));
        }
        let issuer = get("KYROS_ISSUER").unwrap_or_else(|| "kyros".into());
        let generate_demo_data = parse_bool(
            "KYROS_GENERATE_DEMO_DATA",
            get("KYROS_GENERATE_DEMO_DATA"),
            true,
        )?;
        let demo_rows = match get("KYROS_DEMO_ROWS") {
            None => 100_000,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=50_000_000).contains(n))
                .ok_or_else(|| {
                    invalid(
                        "KYROS_DEMO_ROWS",
                        "expected a row count between 1 and 50000000",
                    )
                })?,
        };

        let cache_bytes = match get("KYROS_CACHE_MB") {
            None => 256 * 1024 * 1024,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=1_048_576).contains(n))
                .map(|mb| mb * 1024 * 1024)
                .ok_or_else(|| {
                    invalid("KYROS_CACHE_MB", "expected megabytes between 1 and 1048576")
                })?,
        };

        let data_cache_bytes = match get("KYROS_DATA_CACHE_MB") {
            None => kyros_engine::DEFAULT_RESIDENT_BYTES,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= 1_048_576)
                .map(|mb| mb * 1024 * 1024)
                .ok_or_else(|| {
                    invalid(
                        "KYROS_DATA_CACHE_MB",
                        "expected megabytes between 0 (off) and 1048576",
                    )
                })?,
        };

        let metadata_cache_ttl = match get("KYROS_METADATA_CACHE_SECS") {
            None => Some(Duration::from_secs(30)),
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= 3600)
                .map(|n| (n > 0).then(|| Duration::from_secs(n)))
                .ok_or_else(|| {
                    invalid(
                        "KYROS_METADATA_CACHE_SECS",
                        "expected seconds between 0 (off) and 3600",
                    )
                })?,
        };

        let admin_client = match (
            get("KYROS_ADMIN_CLIENT_ID"),
            get("KYROS_ADMIN_CLIENT_SECRET"),
        ) {
            (None, None) => None,
            (Some(id), Some(secret)) => {
                if id.len() > 100
                    || !id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                {
                    return Err(invalid(
                        "KYROS_ADMIN_CLIENT_ID",
                        "use 1-100 letters, digits, '-', '_' or '.'",
                    ));
                }
                if secret.len() < 16 {
                    return Err(invalid(
                        "KYROS_ADMIN_CLIENT_SECRET",
                        "must be at least 16 characters",
                    ));
                }
                Some((id, SecretString::from(secret)))
            }
            (Some(_), None) => {
                return Err(invalid(
                    "KYROS_ADMIN_CLIENT_SECRET",
                    "required with KYROS_ADMIN_CLIENT_ID",
                ))
            }
            (None, Some(_)) => {
                return Err(invalid(
                    "KYROS_ADMIN_CLIENT_ID",
                    "required with KYROS_ADMIN_CLIENT_SECRET",
                ))
            }
        };
        let login_rate_per_minute = parse_rate(
            "KYROS_LOGIN_RATE_PER_MIN",
            get("KYROS_LOGIN_RATE_PER_MIN"),
            30,
        )?;
        let data_rate_per_minute = parse_rate(
            "KYROS_DATA_RATE_PER_MIN",
            get("KYROS_DATA_RATE_PER_MIN"),
            100_000,
        )?;
        let trusted_proxies = match get("KYROS_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(|ip| ip.trim().parse())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    invalid(
                        "KYROS_TRUSTED_PROXIES",
                        "expected comma-separated IP addresses",
                    )
                })?,
        };
        let request_timeout = parse_ttl("KYROS_REQUEST_TIMEOUT", get("KYROS_REQUEST_TIMEOUT"), 30)?;
        let redis_url = match get("REDIS_URL").filter(|v| !v.trim().is_empty()) {
            None => None,
            Some(url) if url.starts_with("redis://") => Some(SecretString::from(url)),
            Some(_) => {
                return Err(invalid(
                    "REDIS_URL",
                    "expected redis://[user:password@]host[:port][/db]",
                ))
            }
        };
        let dependency_timeout = parse_ttl(
            "KYROS_DEPENDENCY_TIMEOUT",
            get("KYROS_DEPENDENCY_TIMEOUT"),
            3,
        )?;
        let tls = match (get("KYROS_TLS_CERT"), get("KYROS_TLS_KEY")) {
            (None, None) => None,
            (Some(cert), Some(key)) => Some(TlsFiles {
                cert: PathBuf::from(cert),
                key: PathBuf::from(key),
            }),
            (Some(_), None) => {
                return Err(invalid(
                    "KYROS_TLS_CERT",
                    "set without KYROS_TLS_KEY: give the private key too",
                ))
            }
            (None, Some(_)) => {
                return Err(invalid(
                    "KYROS_TLS_KEY",
                    "set without KYROS_TLS_CERT: give the certificate too",
                ))
            }
        };

        let accounts = parse_accounts(&get, bind, tls.is_some())?;
        let signing_alg = match get("KYROS_SIGNING_ALG") {
            None => SigningAlg::Hs256,
            Some(raw) => SigningAlg::parse(&raw)
                .ok_or_else(|| invalid("KYROS_SIGNING_ALG", "expected HS256, EdDSA or RS256"))?,
        };
        let key_encryption_key = match get("KYROS_KEY_ENCRYPTION_KEY") {
            Some(k) if k.len() < 32 => {
                return Err(invalid(
                    "KYROS_KEY_ENCRYPTION_KEY",
                    "must be 32 bytes as base64 or a passphrase of at least 32 characters",
                ))
            }
            other => other.map(SecretString::from),
        };
        let session_idle = parse_ttl("KYROS_SESSION_IDLE", get("KYROS_SESSION_IDLE"), 30 * 60)?;
        let session_max = parse_ttl("KYROS_SESSION_MAX", get("KYROS_SESSION_MAX"), 12 * 3600)?;
        if session_idle > session_max {
            return Err(invalid(
                "KYROS_SESSION_IDLE",
                "must not be longer than KYROS_SESSION_MAX",
            ));
        }
        let oidc = parse_oidc(&get, &accounts.public_url)?;

        Ok(Settings {
            bind,
            admin_bind,
            data_dir,
            database,
            signing_key,
            user_token_ttl,
            tenant_token_ttl,
            demo_password,
            issuer,
            generate_demo_data,
            demo_rows,
            cache_bytes,
            data_cache_bytes,
            metadata_cache_ttl,
            static_dir: get("KYROS_STATIC_DIR").map(PathBuf::from),
            admin_client,
            login_rate_per_minute,
            data_rate_per_minute,
            trusted_proxies,
            request_timeout,
            redis_url,
            dependency_timeout,
            tls,
            accounts,
            signing_alg,
            key_encryption_key,
            session_idle,
            session_max,
            oidc,
        })
    }

    /// The longest lifetime of any token we issue: how long a retired key keeps verifying.
    pub fn longest_token_ttl(&self) -> Duration {
        self.user_token_ttl.max(self.tenant_token_ttl)
    }
}

/// An issuer or redirect URL: https, or http on a loopback host (development, tests).
pub fn acceptable_provider_url(raw: &str) -> bool {
    let Ok(url) = url::Url::parse(raw) else {
        return false;
    };
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    url.username().is_empty()
        && url.fragment().is_none()
        && (url.scheme() == "https" || (url.scheme() == "http" && loopback))
}

fn parse_oidc(
    get: &dyn Fn(&str) -> Option<String>,
    public_url: &str,
) -> Result<Option<OidcSettings>, ConfigError> {
    let issuer = get("KYROS_OIDC_ISSUER");
    let client_id = get("KYROS_OIDC_CLIENT_ID");
    let client_secret = get("KYROS_OIDC_CLIENT_SECRET");
    let (issuer, client_id, client_secret) =
        match (issuer, client_id, client_secret) {
            (None, None, None) => return Ok(None),
            (Some(i), Some(c), Some(s)) => (i, c, s),
            _ => return Err(invalid(
                "KYROS_OIDC_ISSUER",
                "set KYROS_OIDC_ISSUER, KYROS_OIDC_CLIENT_ID and KYROS_OIDC_CLIENT_SECRET together",
            )),
        };
    if !acceptable_provider_url(&issuer) {
        return Err(invalid(
            "KYROS_OIDC_ISSUER",
            "expected an https:// URL (http:// only on localhost)",
        ));
    }
    if client_id.len() > 255 || client_id.chars().any(char::is_control) {
        return Err(invalid(
            "KYROS_OIDC_CLIENT_ID",
            "expected at most 255 printable characters",
        ));
    }
    let redirect_url =
        get("KYROS_OIDC_REDIRECT_URL").unwrap_or_else(|| format!("{public_url}/bff/sso/callback"));
    if !acceptable_provider_url(&redirect_url) || !redirect_url.ends_with("/bff/sso/callback") {
        return Err(invalid(
            "KYROS_OIDC_REDIRECT_URL",
            "expected Kyros's own https://…/bff/sso/callback (http:// only on localhost)",
        ));
    }
    let email_domains = get("KYROS_OIDC_EMAIL_DOMAINS")
        .map(|list| {
            list.split(',')
                .map(|d| d.trim().to_ascii_lowercase())
                .filter(|d| !d.is_empty())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    Ok(Some(OidcSettings {
        issuer,
        client_id,
        client_secret: SecretString::from(client_secret),
        redirect_url,
        email_domains,
    }))
}

fn parse_accounts(
    get: &dyn Fn(&str) -> Option<String>,
    bind: SocketAddr,
    tls: bool,
) -> Result<AccountSettings, ConfigError> {
    let public_url = match get("KYROS_PUBLIC_URL") {
        None => {
            let host = if bind.ip().is_unspecified() {
                "127.0.0.1".to_owned()
            } else {
                bind.ip().to_string()
            };
            let scheme = if tls { "https" } else { "http" };
            format!("{scheme}://{host}:{}", bind.port())
        }
        Some(raw) => {
            let url = url::Url::parse(&raw).map_err(|_| {
                invalid(
                    "KYROS_PUBLIC_URL",
                    "expected an origin such as https://analytics.example.com",
                )
            })?;
            let origin_only = matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some()
                && url.path() == "/"
                && url.query().is_none()
                && url.fragment().is_none()
                && url.username().is_empty();
            if !origin_only {
                return Err(invalid(
                    "KYROS_PUBLIC_URL",
                    "expected an origin (scheme, host and port, no path), such as https://analytics.example.com",
                ));
            }
            raw.trim_end_matches('/').to_owned()
        }
    };
    let smtp_url = match get("KYROS_SMTP_URL") {
        None => None,
        Some(url) if url.starts_with("smtp://") || url.starts_with("smtps://") => {
            Some(SecretString::from(url))
        }
        Some(_) => {
            return Err(invalid(
                "KYROS_SMTP_URL",
                "expected smtp://[user:password@]host[:port] or smtps://…",
            ))
        }
    };
    let mail_from =
        get("KYROS_MAIL_FROM").unwrap_or_else(|| "Kyros <no-reply@kyros.invalid>".into());
    if mail_from.len() > 320 || mail_from.chars().any(char::is_control) || !mail_from.contains('@')
    {
        return Err(invalid(
            "KYROS_MAIL_FROM",
            "expected a mailbox such as Kyros <no-reply@example.com>",
        ));
    }
    let invite_ttl = parse_ttl("KYROS_INVITE_TTL", get("KYROS_INVITE_TTL"), 72 * 3600)?;
    let reset_ttl = parse_ttl("KYROS_RESET_TTL", get("KYROS_RESET_TTL"), 30 * 60)?;
    let password_min_chars = match get("KYROS_PASSWORD_MIN_LENGTH") {
        None => kyros_common::password::DEFAULT_MIN_CHARS,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| kyros_common::password::MIN_CHARS_RANGE.contains(n))
            .ok_or_else(|| {
                invalid(
                    "KYROS_PASSWORD_MIN_LENGTH",
                    "expected characters between 8 and 64",
                )
            })?,
    };
    let invites_per_hour =
        parse_rate("KYROS_INVITES_PER_HOUR", get("KYROS_INVITES_PER_HOUR"), 100)?;
    let signin_backoff_after = parse_rate(
        "KYROS_SIGNIN_BACKOFF_AFTER",
        get("KYROS_SIGNIN_BACKOFF_AFTER"),
        5,
    )?;
    Ok(AccountSettings {
        public_url,
        smtp_url,
        mail_from,
        invite_ttl,
        reset_ttl,
        password_min_chars,
        invites_per_hour,
        signin_backoff_after,
    })
}

fn parse_addr(
    var: &'static str,
    value: Option<String>,
    default: &str,
) -> Result<SocketAddr, ConfigError> {
    let raw = value.unwrap_or_else(|| default.into());
    raw.parse().map_err(|_| {
        invalid(
            var,
            format!("expected host:port such as {default}, got {raw:?}"),
        )
    })
}

fn parse_ttl(
    var: &'static str,
    value: Option<String>,
    default: u64,
) -> Result<Duration, ConfigError> {
    let Some(raw) = value else {
        return Ok(Duration::from_secs(default));
    };
    match raw.parse::<u64>() {
        Ok(secs) if (1..=MAX_TTL_SECONDS).contains(&secs) => Ok(Duration::from_secs(secs)),
        _ => Err(invalid(
            var,
            format!("expected seconds between 1 and {MAX_TTL_SECONDS}, got {raw:?}"),
        )),
    }
}

fn parse_rate(var: &'static str, value: Option<String>, default: u32) -> Result<u32, ConfigError> {
    match value {
        None => Ok(default),
        Some(raw) => raw.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            invalid(
                var,
                format!("expected requests per minute (at least 1), got {raw:?}"),
            )
        }),
    }
}

fn parse_bool(
    var: &'static str,
    value: Option<String>,
    default: bool,
) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(invalid(
            var,
            format!("expected true or false, got {other:?}"),
        )),
    }
}

fn parse_database(
    value: Option<String>,
    data_dir: &std::path::Path,
) -> Result<DatabaseSettings, ConfigError> {
    match value {
        None => Ok(DatabaseSettings::Sqlite(data_dir.join("kyros.db"))),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(DatabaseSettings::Postgres(SecretString::from(url)))
        }
        Some(url) if url.starts_with("sqlite://") => {
            let path = url.trim_start_matches("sqlite://");
            if path.is_empty() {
                return Err(invalid("DATABASE_URL", "sqlite:// needs a file path"));
            }
            Ok(DatabaseSettings::Sqlite(PathBuf::from(path)))
        }
        Some(_) => Err(invalid(
            "DATABASE_URL",
            "expected postgres://… or sqlite://<path> (unset = SQLite file in KYROS_DATA_DIR)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_give_the_embedded_sqlite_setup() {
        let s = settings(&[]).expect("defaults are valid");
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(s.admin_bind.to_string(), "127.0.0.1:8081");
        assert!(matches!(s.database, DatabaseSettings::Sqlite(ref p) if p.ends_with("kyros.db")));
        assert_eq!(s.user_token_ttl, Duration::from_secs(3600));
        assert_eq!(s.tenant_token_ttl, Duration::from_secs(1800));
        assert!(s.signing_key.is_none());
        assert_eq!(s.demo_password.expose_secret(), DEFAULT_DEMO_PASSWORD);
    }

    #[test]
    fn redis_and_tls_are_optional_and_read_when_given() {
        let s = settings(&[]).expect("defaults");
        assert!(s.redis_url.is_none() && s.tls.is_none());
        assert_eq!(s.dependency_timeout, Duration::from_secs(3));
        let s = settings(&[
            ("REDIS_URL", "redis://:pw@127.0.0.1:6379/2"),
            ("KYROS_TLS_CERT", "/c.pem"),
            ("KYROS_TLS_KEY", "/k.pem"),
        ])
        .expect("valid");
        assert_eq!(
            s.redis_url.as_ref().map(|u| u.expose_secret().to_owned()),
            Some("redis://:pw@127.0.0.1:6379/2".to_owned())
        );
        assert!(!format!("{s:?}").contains(":pw@"), "the URL is kept secret");
        let tls = s.tls.expect("tls");
        assert_eq!(tls.cert, PathBuf::from("/c.pem"));
        assert_eq!(tls.key, PathBuf::from("/k.pem"));
    }

    #[test]
    fn postgres_url_selects_postgres() {
        let s = settings(&[("DATABASE_URL", "postgres://u@h/db")]).expect("valid");
        assert!(s.database.is_postgres());
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (var, value) in [
            ("KYROS_BIND", "not-an-address"),
            ("KYROS_ADMIN_BIND", "127.0.0.1"),
            ("DATABASE_URL", "mysql://x"),
            ("KYROS_SIGNING_KEY", "too-short"),
            ("KYROS_USER_TOKEN_TTL", "-5"),
            ("KYROS_TENANT_TOKEN_TTL", "0"),
            ("KYROS_TENANT_TOKEN_TTL", "abc"),
            ("KYROS_DEMO_PASSWORD", "short"),
            ("KYROS_GENERATE_DEMO_DATA", "maybe"),
            ("KYROS_DEMO_ROWS", "0"),
            ("KYROS_CACHE_MB", "lots"),
            ("KYROS_DATA_CACHE_MB", "-1"),
            ("KYROS_DATA_CACHE_MB", "2000000"),
            ("KYROS_METADATA_CACHE_SECS", "forever"),
            ("KYROS_METADATA_CACHE_SECS", "86400"),
            ("KYROS_LOGIN_RATE_PER_MIN", "0"),
            ("KYROS_TRUSTED_PROXIES", "10.0.0.1,nope"),
            ("REDIS_URL", "http://127.0.0.1:6379"),
            ("KYROS_DEPENDENCY_TIMEOUT", "0"),
            ("KYROS_TLS_CERT", "/etc/kyros/cert.pem"),
            ("KYROS_TLS_KEY", "/etc/kyros/key.pem"),
            ("KYROS_PUBLIC_URL", "https://example.com/kyros"),
            ("KYROS_PUBLIC_URL", "javascript:alert(1)"),
            ("KYROS_SMTP_URL", "http://mail"),
            ("KYROS_MAIL_FROM", "nobody"),
            ("KYROS_INVITE_TTL", "0"),
            ("KYROS_RESET_TTL", "never"),
            ("KYROS_PASSWORD_MIN_LENGTH", "4"),
            ("KYROS_INVITES_PER_HOUR", "0"),
            ("KYROS_SIGNIN_BACKOFF_AFTER", "none"),
            ("KYROS_SIGNING_ALG", "none"),
            ("KYROS_SIGNING_ALG", "HS512"),
            ("KYROS_KEY_ENCRYPTION_KEY", "short"),
            ("KYROS_SESSION_IDLE", "0"),
            ("KYROS_SESSION_MAX", "-1"),
            ("KYROS_OIDC_ISSUER", "https://idp.example.com"),
        ] {
            let err = settings(&[(var, value)]).expect_err(var);
            assert_eq!(err.var, var);
            assert!(err.to_string().contains(var), "{err}");
        }
    }

    #[test]
    fn admin_client_settings_come_in_pairs() {
        let err = settings(&[("KYROS_ADMIN_CLIENT_ID", "ops")]).expect_err("secret missing");
        assert_eq!(err.var, "KYROS_ADMIN_CLIENT_SECRET");
        let err = settings(&[
            ("KYROS_ADMIN_CLIENT_ID", "ops"),
            ("KYROS_ADMIN_CLIENT_SECRET", "short"),
        ])
        .expect_err("short");
        assert_eq!(err.var, "KYROS_ADMIN_CLIENT_SECRET");
        let ok = settings(&[
            ("KYROS_ADMIN_CLIENT_ID", "ops"),
            ("KYROS_ADMIN_CLIENT_SECRET", "0123456789abcdef"),
        ]);
        assert!(ok.expect("valid").admin_client.is_some());
    }

    #[test]
    fn accounts_default_to_safe_values_and_the_listener_origin() {
        let s = settings(&[]).expect("defaults");
        assert_eq!(s.accounts.public_url, "http://127.0.0.1:8080");
        assert_eq!(s.accounts.invite_ttl, Duration::from_secs(72 * 3600));
        assert_eq!(s.accounts.reset_ttl, Duration::from_secs(1800));
        assert_eq!(s.accounts.password_min_chars, 12);
        assert!(s.accounts.smtp_url.is_none());
        let s = settings(&[("KYROS_PUBLIC_URL", "https://analytics.example.com/")]).expect("valid");
        assert_eq!(s.accounts.public_url, "https://analytics.example.com");
    }

    #[test]
    fn signing_sessions_and_oidc_settings_are_read_and_checked_together() {
        let s = settings(&[]).expect("defaults");
        assert_eq!(s.signing_alg, SigningAlg::Hs256);
        assert_eq!(s.session_idle, Duration::from_secs(1800));
        assert_eq!(s.session_max, Duration::from_secs(43200));
        assert!(s.oidc.is_none());
        let s = settings(&[("KYROS_SIGNING_ALG", "eddsa")]).expect("valid");
        assert_eq!(s.signing_alg, SigningAlg::EdDsa);
        let err = settings(&[
            ("KYROS_SESSION_IDLE", "7200"),
            ("KYROS_SESSION_MAX", "3600"),
        ])
        .expect_err("idle > max");
        assert_eq!(err.var, "KYROS_SESSION_IDLE");
        let oidc = [
            ("KYROS_OIDC_ISSUER", "https://login.example.com/tenant/v2.0"),
            ("KYROS_OIDC_CLIENT_ID", "kyros"),
            ("KYROS_OIDC_CLIENT_SECRET", "s3cret"),
            ("KYROS_OIDC_EMAIL_DOMAINS", "Example.com, corp.example"),
        ];
        let s = settings(&oidc).expect("valid").oidc.expect("oidc");
        assert_eq!(s.redirect_url, "http://127.0.0.1:8080/bff/sso/callback");
        assert_eq!(s.email_domains, ["example.com", "corp.example"]);
        assert!(!format!("{s:?}").contains("s3cret"));
        let err = settings(&[
            ("KYROS_OIDC_ISSUER", "http://idp.example.com"),
            ("KYROS_OIDC_CLIENT_ID", "kyros"),
            ("KYROS_OIDC_CLIENT_SECRET", "s3cret"),
        ])
        .expect_err("plain http off loopback");
        assert_eq!(err.var, "KYROS_OIDC_ISSUER");
    }

    #[test]
    fn a_long_enough_signing_key_is_accepted() {
        let key = "k".repeat(32);
        let s = settings(&[("KYROS_SIGNING_KEY", &key)]).expect("valid");
        assert_eq!(s.signing_key.map(|k| k.expose_secret().len()), Some(32));
    }
}
