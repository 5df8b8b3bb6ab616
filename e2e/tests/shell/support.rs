//! The application under test: the real backend, in-process, on a fresh SQLite database
//! with generated demo data, serving the built `dist/`; and a browser pointed at it. The
//! shell-level steps (sign in, tiles, charts…) are `kyros_e2e::shell`'s.

use std::collections::HashMap;
use std::path::PathBuf;

use kyros::config::Settings;
use kyros::startup::Application;
use kyros_e2e::{workspace_root, Browser};

pub const DEMO_PASSWORD: &str = "e2e-demo-password-2026";
const SIGNING_KEY: &str = "e2e-tests-signing-key-0123456789abcdef";
/// Rows per dataset of the generated demo data: enough for every chart, quick to build.
const DEMO_ROWS: &str = "5000";

/// One browser test at a time: Chromium and the backend share two cores, and the timing
/// test must not measure another test's load.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The built shell; the tests never build it themselves (`scripts/build-shell.sh` does).
pub fn dist_dir() -> PathBuf {
    let dist = workspace_root().join("dist");
    assert!(
        dist.join("index.html").is_file(),
        "{} is missing: build the shell first with `bash scripts/build-shell.sh` \
         (scripts/test.sh does this before `cargo test -p kyros-e2e`)",
        dist.join("index.html").display()
    );
    dist
}

/// A running Kyros (fresh SQLite database and demo data in a temporary directory) and a
/// browser pointed at it. Holds the serialisation lock for the whole test.
pub struct Session {
    pub browser: Browser,
    pub settings: Settings,
    _data_dir: tempfile::TempDir,
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

impl std::ops::Deref for Session {
    type Target = Browser;
    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl Session {
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// [`Session::start`] with more (or overriding) settings, e.g. `KYROS_BIND` on a port
    /// chosen beforehand and `KYROS_OIDC_*`. The browser's base follows the port Kyros
    /// listens on, whatever `KYROS_BIND` says.
    pub async fn start_with(extra: &[(&str, String)]) -> Self {
        let dist = dist_dir();
        let serial = SERIAL.lock().await;
        let data_dir = tempfile::tempdir().expect("temporary data directory");
        let mut vars: HashMap<&str, String> = HashMap::new();
        vars.insert("KYROS_BIND", "127.0.0.1:0".into());
        vars.insert("KYROS_ADMIN_BIND", "127.0.0.1:0".into());
        vars.insert("KYROS_DATA_DIR", data_dir.path().display().to_string());
        vars.insert("KYROS_STATIC_DIR", dist.display().to_string());
        vars.insert("KYROS_SIGNING_KEY", SIGNING_KEY.into());
        vars.insert("KYROS_DEMO_PASSWORD", DEMO_PASSWORD.into());
        vars.insert("KYROS_GENERATE_DEMO_DATA", "true".into());
        vars.insert("KYROS_DEMO_ROWS", DEMO_ROWS.into());
        for (name, value) in extra {
            vars.insert(*name, value.clone());
        }
        let settings =
            Settings::from_lookup(|k| vars.get(k).cloned()).expect("e2e settings are valid");
        let app = Application::build(settings.clone())
            .await
            .expect("the application builds");
        // `localhost`, not 127.0.0.1: the browser's secure-context rules for the
        // `__Host-` (Secure) session cookie are those of a developer's machine.
        let base = format!("http://localhost:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        let browser = Browser::launch(&base).await;
        Session {
            browser,
            settings,
            _data_dir: data_dir,
            _serial: serial,
        }
    }

    /// The application's services over the test's database (another instance of them,
    /// sharing the store): for steps a person does outside the browser, such as an
    /// operator creating an account.
    pub fn services(&self) -> kyros::state::AppState {
        let db = kyros::store::Db::new(
            &self.settings.database,
            2,
            std::time::Duration::from_secs(5),
        );
        let keys =
            kyros::auth::keys::KeyRing::for_settings(db.clone(), &self.settings).expect("key ring");
        kyros::state::AppState::build(self.settings.clone(), db, keys, None).expect("services")
    }

    /// Quits the browser; the backend stops with the test's runtime.
    pub async fn finish(self) {
        let Session {
            browser,
            settings: _,
            _data_dir,
            _serial,
        } = self;
        browser.close().await;
    }

    /// Signs in with any email and password through the login form.
    pub async fn login_with(&self, email: &str, password: &str) {
        self.browser.login(email, password).await;
    }

    /// Signs in as a demo user through the login form.
    pub async fn login(&self, email: &str) {
        self.browser.login(email, DEMO_PASSWORD).await;
    }
}
