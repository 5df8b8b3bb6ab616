//! Dependencies failing and coming back: PostgreSQL and Redis are reached through a
//! TCP relay the test can cut. While one is cut, `/ready` and the requests that need
//! it answer 503 problem+json within the dependency timeout (no hang, no panic);
//! when it is back, the same process recovers without a restart.

use std::time::Duration;

use actix_web::rt::task::JoinHandle;
use reqwest::StatusCode;
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};

use crate::helpers::{assert_problem, spawn_app_with, Backend, PgDatabase, TestApp, DEMO_PASSWORD};

/// A TCP relay to `target` on a fixed local port that can be cut and restored.
struct Relay {
    port: u16,
    target: String,
    task: Option<JoinHandle<()>>,
}

impl Relay {
    async fn start(target: &str) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let mut relay = Relay {
            port,
            target: target.to_owned(),
            task: None,
        };
        relay.serve(listener);
        relay
    }

    fn serve(&mut self, listener: TcpListener) {
        let target = self.target.clone();
        self.task = Some(actix_web::rt::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                let target = target.clone();
                links.spawn_local(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        }));
    }

    /// Refuses new connections and resets the open ones (dropping the tasks).
    fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }

    async fn restore(&mut self) {
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(l) => break l,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot re-bind the relay: {e}"),
            }
        };
        self.serve(listener);
    }
}

async fn status_of(app: &TestApp, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .expect("an answer, not a hang")
}

async fn bff_login(app: &TestApp) -> reqwest::Response {
    app.client
        .post(app.url("/bff/login"))
        .header("x-requested-with", "kyros-shell")
        .timeout(Duration::from_secs(20))
        .json(&json!({ "email": "analyst@acme.com", "password": DEMO_PASSWORD }))
        .send()
        .await
        .expect("an answer, not a hang")
}

/// Waits (bounded) until `/ready` says `want`.
async fn until_ready(app: &TestApp, want: StatusCode) {
    for _ in 0..100 {
        if status_of(app, "/ready").await.status() == want {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("/ready never became {want}");
}

#[actix_web::test]
async fn redis_down_means_503_and_recovery_without_restart() {
    let mut relay = Relay::start("127.0.0.1:6379").await;
    let url = format!("redis://127.0.0.1:{}", relay.port);
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("REDIS_URL", url.as_str()),
            ("KYROS_DEPENDENCY_TIMEOUT", "2"),
        ],
    )
    .await;
    until_ready(&app, StatusCode::OK).await;
    assert_eq!(bff_login(&app).await.status(), StatusCode::OK);
    let token = app.user_token("analyst@acme.com").await;

    relay.cut();
    let problem = assert_problem(status_of(&app, "/ready").await, 503).await;
    assert_eq!(problem["code"], "unavailable");
    // The session store is Redis: a BFF login cannot be stored → 503, not 500.
    assert_problem(bff_login(&app).await, 503).await;
    // The Bearer API does not need Redis and keeps working.
    assert_eq!(
        app.get_with("/api/me", &token).await.status(),
        StatusCode::OK
    );

    relay.restore().await;
    until_ready(&app, StatusCode::OK).await;
    assert_eq!(bff_login(&app).await.status(), StatusCode::OK);
}

#[actix_web::test]
async fn postgres_down_means_503_and_recovery_without_restart() {
    let pg = PgDatabase::create();
    let mut relay = Relay::start("127.0.0.1:5432").await;
    let direct = pg.url();
    let (base, name) = direct.rsplit_once('/').expect("url");
    let (prefix, _) = base.rsplit_once('@').expect("user@host");
    let url = format!("{prefix}@127.0.0.1:{}/{name}", relay.port);
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("DATABASE_URL", url.as_str()),
            ("KYROS_DEPENDENCY_TIMEOUT", "2"),
        ],
    )
    .await;
    let token = app.user_token("analyst@acme.com").await;
    assert_eq!(
        app.get_with("/api/me", &token).await.status(),
        StatusCode::OK
    );

    relay.cut();
    let problem = assert_problem(status_of(&app, "/ready").await, 503).await;
    assert_eq!(problem["code"], "unavailable");
    let problem = assert_problem(app.get_with("/api/me", &token).await, 503).await;
    assert!(
        !problem.to_string().contains("127.0.0.1"),
        "no connection details leak: {problem}"
    );
    assert_problem(
        app.login_response("analyst@acme.com", DEMO_PASSWORD).await,
        503,
    )
    .await;

    relay.restore().await;
    until_ready(&app, StatusCode::OK).await;
    assert_eq!(
        app.get_with("/api/me", &token).await.status(),
        StatusCode::OK
    );
    drop(pg);
}
