//! Browser harness of the Kyros end-to-end tests: `chromedriver` on a free port driving a
//! headless Chromium with a fresh profile, and the few helpers the tests need — waits that
//! poll the page with a deadline (never a fixed sleep), clicks and typing that survive Yew
//! re-rendering the element, full-page screenshots and Chrome DevTools commands.
//!
//! [`shell`] adds the Kyros shell's own steps (sign in, tiles, charts, timing). The
//! application under test is started by the tests themselves (in-process backend serving
//! the built `dist/`), or, for the `shell-timing` binary, is any running Kyros.

pub mod shell;

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use fantoccini::error::CmdError;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

pub use fantoccini;

/// The Debian `chromium` package's browser (`scripts/lib.sh` `ensure_chromium`).
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// The Debian `chromium-driver` package's WebDriver server.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The longest any single wait may take before the test fails with what it waited for.
pub const DEADLINE: Duration = Duration::from_secs(30);
/// How often a wait looks at the page again.
const POLL: Duration = Duration::from_millis(40);
/// Viewport of the browser window (screenshots are full-page regardless).
const WINDOW: (u32, u32) = (1440, 1000);

/// The workspace root (`<repo>`), from this crate's manifest directory.
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `<target>/e2e`, where screenshots and timings go (created when missing).
pub fn artifacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| workspace_root().join("target"));
    let dir = target.join("e2e");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {e}", dir.display());
    }
    dir
}

/// A port nobody listens on right now (the OS picks it; a tiny race is acceptable).
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or_else(|e| panic!("no free local port: {e}"))
}

/// A `chromedriver` process (and, through its process group, the Chromium it starts),
/// killed when dropped — also when a test fails half-way.
pub struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    /// Starts `chromedriver` on a free port and waits until it accepts connections.
    pub async fn start() -> Self {
        for binary in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(binary).is_file(),
                "{binary} is missing: install Chromium with `apt-get install -y chromium chromium-driver` \
                 (scripts/test.sh does it through ensure_chromium in scripts/lib.sh)"
            );
        }
        let port = free_port();
        let mut command = Command::new(CHROMEDRIVER);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Its own process group, so that Drop can end chromedriver and its browser together.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
        let mut driver = ChromeDriver { child, port };
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + DEADLINE;
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return driver;
            }
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("{CHROMEDRIVER} exited before listening on port {port}: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "{CHROMEDRIVER} did not listen on port {port} within {DEADLINE:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The whole process group this driver leads: chromedriver and the browser.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Arguments of every Chromium started by the tests (`--user-data-dir` comes on top).
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
];

/// A WebDriver session on a fresh headless Chromium, pointed at one application.
pub struct Browser {
    client: Client,
    base: String,
    // Dropped in this order: the profile directory only after the browser is gone.
    driver: ChromeDriver,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile; `base` is the
    /// application's origin (`http://localhost:PORT`), prefixed to every path.
    pub async fn launch(base: &str) -> Self {
        let driver = ChromeDriver::start().await;
        let profile = tempfile::Builder::new()
            .prefix("kyros-e2e-chromium-")
            .tempdir()
            .unwrap_or_else(|e| panic!("cannot create a Chromium profile directory: {e}"));
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| (*a).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.push(format!("--window-size={},{}", WINDOW.0, WINDOW.1));
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": CHROMIUM, "args": args }),
        );
        // The page's console, for the diagnostics of a failed wait.
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
            .unwrap_or_else(|e| {
                panic!("cannot start a Chromium session through chromedriver: {e}")
            });
        Browser {
            client,
            base: base.trim_end_matches('/').to_owned(),
            driver,
            profile,
        }
    }

    /// The raw fantoccini client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Navigates (a full page load) to `path` of the application.
    pub async fn goto(&self, path: &str) {
        let url = self.url(path);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("navigation to {url} failed: {e}"));
    }

    /// The browser's history back button.
    pub async fn back(&self) {
        self.client
            .back()
            .await
            .unwrap_or_else(|e| panic!("history back failed: {e}"));
    }

    /// Runs `script` (a function body; `return` its result) in the page.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// `location.pathname`.
    pub async fn path(&self) -> String {
        self.js("return location.pathname;")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Polls `script` until it returns something other than `null`, `undefined` or
    /// `false`, and returns that; fails the test after [`DEADLINE`] with `what`, the last
    /// answer, the page's path and the start of its text.
    pub async fn wait_for(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + DEADLINE;
        let mut last = Value::Null;
        loop {
            match self.client.execute(script, Vec::new()).await {
                Ok(Value::Null) | Ok(Value::Bool(false)) => {}
                Ok(value) => return value,
                Err(e) => last = json!(format!("script error: {e}")),
            }
            if Instant::now() >= deadline {
                let page = self
                    .client
                    .execute(
                        "return [location.href, history.length, (document.body ? document.body.innerHTML : '').slice(0, 1500)];",
                        Vec::new(),
                    )
                    .await
                    .unwrap_or(Value::Null);
                let console = self.console_log().await;
                panic!(
                    "timed out after {DEADLINE:?} waiting for {what}; last answer {last}; \
                     page {page}; console {console}"
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until `location.pathname` is `path`.
    pub async fn wait_for_path(&self, path: &str) {
        let script = format!("return location.pathname === {};", json!(path));
        self.wait_for(&format!("the path {path}"), &script).await;
    }

    /// Clicks the first element matching `css`, waiting for it to exist and retrying while
    /// a re-render replaces it under the click.
    pub async fn click(&self, css: &str) {
        self.retry(&format!("a click on {css}"), || async {
            self.client.find(Locator::Css(css)).await?.click().await
        })
        .await;
    }

    /// Replaces the value of the input matching `css` by typing `text` into it.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.retry(&format!("typing into {css}"), || async {
            let element = self.client.find(Locator::Css(css)).await?;
            element.clear().await?;
            element.send_keys(text).await
        })
        .await;
    }

    async fn retry<F, Fut, T>(&self, what: &str, mut action: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CmdError>>,
    {
        let deadline = Instant::now() + DEADLINE;
        loop {
            match action().await {
                Ok(value) => return value,
                Err(e) if Instant::now() >= deadline => {
                    panic!("{what} did not succeed within {DEADLINE:?}: {e}")
                }
                Err(_) => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// The browser console entries since the last call (chromedriver's log endpoint).
    pub async fn console_log(&self) -> Value {
        self.client
            .issue_cmd(DriverCommand {
                path: "se/log",
                body: json!({ "type": "browser" }),
            })
            .await
            .unwrap_or_else(|e| json!(format!("no console log: {e}")))
    }

    /// Sends a Chrome DevTools Protocol command through chromedriver and returns its result.
    pub async fn cdp(&self, command: &str, params: Value) -> Value {
        self.client
            .issue_cmd(DriverCommand {
                path: "goog/cdp/execute",
                body: json!({ "cmd": command, "params": params }),
            })
            .await
            .unwrap_or_else(|e| panic!("DevTools command {command} failed: {e}"))
    }

    /// Saves a PNG of the whole page (not only the viewport) as `<target>/e2e/<name>.png`
    /// and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let size = self
            .js("return [document.documentElement.scrollWidth, document.documentElement.scrollHeight];")
            .await;
        let (width, height) = (
            size[0].as_f64().unwrap_or(f64::from(WINDOW.0)),
            size[1].as_f64().unwrap_or(f64::from(WINDOW.1)),
        );
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 },
                }),
            )
            .await;
        let data = shot["data"].as_str().unwrap_or_default();
        let png = BASE64
            .decode(data)
            .unwrap_or_else(|e| panic!("Page.captureScreenshot returned no PNG for {name}: {e}"));
        assert!(
            png.starts_with(b"\x89PNG"),
            "screenshot {name} is not a PNG"
        );
        let path = artifacts_dir().join(format!("{name}.png"));
        if let Err(e) = std::fs::write(&path, png) {
            panic!("cannot write {}: {e}", path.display());
        }
        path
    }

    /// [`Browser::screenshot`], also copied to `docs/screenshots/<name>.png`, where the
    /// README shows the product.
    pub async fn screenshot_for_docs(&self, name: &str) -> PathBuf {
        let shot = self.screenshot(name).await;
        let docs = workspace_root().join("docs").join("screenshots");
        if let Err(e) = std::fs::create_dir_all(&docs)
            .and_then(|_| std::fs::copy(&shot, docs.join(format!("{name}.png"))))
        {
            panic!("cannot copy {} to docs/screenshots: {e}", shot.display());
        }
        docs.join(format!("{name}.png"))
    }

    /// Ends the WebDriver session (the browser quits), then chromedriver.
    pub async fn close(self) {
        let Browser {
            client,
            driver,
            profile,
            ..
        } = self;
        let _ = client.close().await;
        drop(driver);
        drop(profile);
    }
}

/// `POST /session/{id}/<path>` with a JSON body: chromedriver's own endpoints, such as
/// `goog/cdp/execute` (the DevTools protocol) and `se/log` (the console).
#[derive(Debug)]
struct DriverCommand {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for DriverCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_root_holds_the_workspace_manifest() {
        assert!(workspace_root().join("Cargo.toml").is_file());
        assert!(workspace_root().join("e2e").is_dir());
    }
}
