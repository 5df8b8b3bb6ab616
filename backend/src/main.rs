//! The `kyros` binary: `serve` (default), `migrate`, `seed`.

use anyhow::Context;
use clap::{Parser, Subcommand};
use kyros::config::Settings;
use kyros::startup::{self, Application};
use kyros::telemetry;

#[derive(Parser)]
#[command(
    name = "kyros",
    version,
    about = "Kyros multi-tenant analytics backend"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, seed an empty database and serve (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Apply the demo seed (idempotent) and exit.
    Seed,
    /// Generate deterministic tenant data (creating bench tenants when fewer exist).
    GenData {
        /// How many tenants to generate data for.
        #[arg(long, default_value_t = 2)]
        tenants: usize,
        /// Rows per dataset (each tenant varies around it).
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        /// Base seed: same seed, same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    telemetry::init();
    let settings = Settings::from_env().context("configuration")?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => {
            std::fs::create_dir_all(&settings.data_dir)?;
            let db =
                kyros::store::Db::new(&settings.database, 2, std::time::Duration::from_secs(10));
            let applied = kyros::store::migrations::run_pending(&db)?;
            println!("{applied} migration(s) applied");
            Ok(())
        }
        Command::Seed => {
            let db = startup::prepare_store(&settings)?;
            let report = startup::run_seed(&settings, &mut *db.conn()?)?;
            println!(
                "seed: {} tenant(s), {} user(s), {} dashboard(s) added",
                report.tenants, report.users, report.dashboards
            );
            Ok(())
        }
        Command::GenData {
            tenants,
            rows,
            seed,
        } => {
            anyhow::ensure!(
                (1..=100_000).contains(&tenants),
                "--tenants must be between 1 and 100000"
            );
            anyhow::ensure!(
                (1..=50_000_000).contains(&rows),
                "--rows must be between 1 and 50000000"
            );
            let db = startup::prepare_store(&settings)?;
            let password = secrecy::ExposeSecret::expose_secret(&settings.demo_password).to_owned();
            kyros::datagen::gen_data(&db, &settings.data_dir, tenants, rows, seed, &password)?;
            Ok(())
        }
    }
}

#[actix_web::main]
async fn serve(settings: Settings) -> anyhow::Result<()> {
    let host = match settings.bind.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_owned(),
        ip => ip.to_string(),
    };
    let app = Application::build(settings).await?;
    println!(
        "Kyros is listening on http://{host}:{}/ (admin API on port {})",
        app.port(),
        app.admin_port()
    );
    app.run_until_stopped().await?;
    Ok(())
}
