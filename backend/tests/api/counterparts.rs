//! Real counterparts the tests talk to, started per test from the packages the test
//! command installs (`scripts/lib.sh`: `.tools/venv`) and stopped when the test ends.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Python of the test tools (`KYROS_TEST_PYTHON`, else `.tools/venv/bin/python`).
pub fn test_python() -> PathBuf {
    std::env::var_os("KYROS_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.tools/venv/bin/python")
        })
}

/// A free loopback port (the listener is dropped at once; the race is harmless here).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{what} did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// aiosmtpd (PyPI) on a loopback port, storing every message in a maildir.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start() -> Self {
        let python = test_python();
        assert!(
            python.exists(),
            "{} is missing: run scripts/test.sh (it installs aiosmtpd into .tools/venv)",
            python.display()
        );
        let maildir = tempfile::tempdir().expect("maildir");
        let port = free_port();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            // A path that does not exist yet: the handler creates the maildir there.
            .arg(maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        wait_for_port(port, "aiosmtpd");
        SmtpServer {
            child,
            port,
            maildir,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, raw.
    pub fn messages(&self) -> Vec<String> {
        let dir = self.maildir.path().join("box").join("new");
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect()
    }

    /// Waits (with a deadline) for a message to `to` and returns it.
    pub async fn message_to(&self, to: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(m) = self.messages().into_iter().find(|m| {
                m.lines()
                    .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to))
            }) {
                return m;
            }
            assert!(Instant::now() < deadline, "no mail to {to} arrived");
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The text of a raw message's body, decoded from quoted-printable when it is encoded so
/// (lettre's choice for lines longer than 76 characters).
pub fn body_text(raw: &str) -> String {
    let (headers, body) = raw
        .split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))
        .unwrap_or(("", raw));
    if !headers.to_ascii_lowercase().contains("quoted-printable") {
        return body.to_owned();
    }
    let joined = body.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The token of the first `#token=` link in a text.
pub fn link_token(text: &str) -> Option<String> {
    let start = text.find("#token=")? + "#token=".len();
    Some(
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}

/// What the OpenID provider reports when it is ready: its issuer and the private keys it
/// signs with (so tests can also forge tokens with a published key), plus one key it
/// does not publish.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct OidcKeys {
    pub issuer: String,
    pub rsa_kid: String,
    pub rsa_pem: String,
    pub ec_kid: String,
    pub ec_pem: String,
    pub untrusted_pem: String,
}

/// The certified `oidc-provider` package (npm, installed by `scripts/lib.sh` into
/// `.tools/oidc`) run by `backend/tests/oidc/provider.mjs` on a loopback port.
pub struct OidcProvider {
    child: Child,
    pub keys: OidcKeys,
}

/// `oidc-provider`'s entry module (`KYROS_OIDC_PROVIDER_MODULE`, else `.tools/oidc`).
pub fn oidc_provider_module() -> PathBuf {
    std::env::var_os("KYROS_OIDC_PROVIDER_MODULE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../.tools/oidc/node_modules/oidc-provider/lib/index.js")
        })
}

impl OidcProvider {
    /// Starts a provider with these clients (client metadata) and accounts
    /// (login → `{email, email_verified, name}`).
    pub fn start(clients: &serde_json::Value, accounts: &serde_json::Value) -> Self {
        use std::io::BufRead;
        let module = oidc_provider_module();
        assert!(
            module.exists(),
            "{} is missing: run scripts/test.sh (it installs oidc-provider into .tools/oidc)",
            module.display()
        );
        let port = free_port();
        // `../backend/…`: the same path from the backend's and from the e2e crate's
        // manifest directory (e2e/tests/shell/sso.rs includes this file).
        let script =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../backend/tests/oidc/provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .env("OIDC_PROVIDER_MODULE", &module)
            .env("OIDC_PORT", port.to_string())
            .env("OIDC_CLIENTS", clients.to_string())
            .env("OIDC_ACCOUNTS", accounts.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node starts the OpenID provider");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = std::io::BufReader::new(stdout);
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .expect("the provider's first line");
        // Keep draining its output: a closed pipe would end the provider at its next line.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while reader.read_line(&mut sink).is_ok_and(|n| n > 0) {
                sink.clear();
            }
        });
        let ready = line
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("the OpenID provider did not start: {line:?}"));
        let keys: OidcKeys = serde_json::from_str(ready.trim()).expect("READY json");
        wait_for_port(port, "oidc-provider");
        OidcProvider { child, keys }
    }

    pub fn issuer(&self) -> &str {
        &self.keys.issuer
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
