//! `server`: runs the MotCua portal, or one of its maintenance commands.

use clap::{Parser, Subcommand};
use motcua_server::config::{Settings, SettingsArgs};
use motcua_server::telemetry;

/// MotCua — online public-service portal (một cửa, một cửa liên thông).
///
/// Every setting can be given as a flag, as a MOTCUA_* environment variable or in the TOML
/// file named by --config / MOTCUA_CONFIG (flags and environment win over the file).
#[derive(Debug, Parser)]
#[command(name = "server", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    settings: SettingsArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal (the default when no command is given).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the resolved settings and exit.
    Config,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::resolve(&cli.settings)?;
    telemetry::init_logs(&settings.log, settings.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&settings).await,
        Command::Migrate => {
            let db = motcua_server::open_database(&settings).await?;
            tracing::info!(backend = db.backend().name(), "migrations applied");
            db.close().await;
            Ok(())
        }
        Command::Config => {
            println!("{settings:#?}");
            Ok(())
        }
    }
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let running = motcua_server::start(settings).await?;
    tracing::info!(
        address = %running.addr,
        backend = running.state.db.backend().name(),
        environment = ?settings.environment,
        "MotCua is listening on http://{}",
        running.addr
    );
    motcua_server::shutdown_signal().await;
    tracing::info!("shutting down");
    running.shutdown().await
}
