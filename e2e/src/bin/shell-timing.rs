//! Navigation → first chart of the Kyros shell in headless Chromium, against a running
//! Kyros (for instance `bash scripts/run.sh`, the release build with the default demo data):
//!
//! ```sh
//! cargo run -p kyros-e2e --bin shell-timing -- --url http://127.0.0.1:8080 --runs 7
//! ```
//!
//! Options (defaults): `--url` (`http://127.0.0.1:8080`; `localhost` is used for
//! `127.0.0.1` so the Secure session cookie is kept), `--email` (`analyst@acme.com`),
//! `--password` (`$KYROS_DEMO_PASSWORD`, else `kyros-demo-2026`), `--dashboard`
//! (`risk-analysis`), `--runs` (7).

use kyros_e2e::Browser;

struct Options {
    url: String,
    email: String,
    password: String,
    dashboard: String,
    runs: usize,
}

fn parse() -> Result<Options, String> {
    let mut options = Options {
        url: "http://127.0.0.1:8080".into(),
        email: "analyst@acme.com".into(),
        password: std::env::var("KYROS_DEMO_PASSWORD").unwrap_or_else(|_| "kyros-demo-2026".into()),
        dashboard: "risk-analysis".into(),
        runs: 7,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => options.url = value()?,
            "--email" => options.email = value()?,
            "--password" => options.password = value()?,
            "--dashboard" => options.dashboard = value()?,
            "--runs" => options.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    options.url = options
        .url
        .trim_end_matches('/')
        .replace("://127.0.0.1:", "://localhost:");
    Ok(options)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let options = match parse() {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("shell-timing: {problem}");
            std::process::exit(2);
        }
    };
    let browser = Browser::launch(&options.url).await;
    browser.login(&options.email, &options.password).await;
    browser.wait_for_path("/dashboards").await;
    let report = browser
        .first_chart_report(&options.dashboard, options.runs)
        .await;
    println!("{report}");
    browser.close().await;
}
