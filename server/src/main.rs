//! `server`: runs the MotCua portal, or one of its maintenance commands.

use clap::{Parser, Subcommand};
use motcua_server::config::{Settings, SettingsArgs};
use motcua_server::telemetry;

/// mimalloc instead of glibc's malloc: rendering a page allocates many small strings on
/// several threads at once, where glibc's arenas spent a quarter of the CPU time (perf under
/// the lookup load test, 2026-12-02).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Administration tasks run on the server itself.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Statistics tasks.
    #[command(subcommand)]
    Stats(StatsCommand),
    /// Write an online, consistent backup (database snapshot and every stored file, with a
    /// manifest of checksums) into a new directory; the server may keep running.
    Backup {
        /// Directory to create (must not exist or be empty).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a backup made by `server backup` into the configured database and file
    /// store (stop the server first). Checks every file's checksum before writing.
    Restore {
        /// The backup directory.
        #[arg(long)]
        from: std::path::PathBuf,
        /// Replace an existing SQLite database.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
enum StatsCommand {
    /// Rebuild the daily statistics from the dossiers' events (all days, or from `--from`
    /// YYYY-MM-DD); the result is the same as what the running job keeps up to date.
    Rebuild {
        /// First day to rebuild.
        #[arg(long)]
        from: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an officer account, e.g. the first system administrator:
    /// `server admin create-user --email admin@example.gov.vn --name "Nguyễn Văn A" --role system_admin`.
    /// The password is read from MOTCUA_NEW_USER_PASSWORD, or generated and printed once.
    CreateUser {
        /// Email (the login).
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Role: desk_officer, specialist, leader, clerk, agency_admin or system_admin.
        #[arg(long, default_value = "system_admin")]
        role: String,
        /// National code of the unit the role applies to (not for system_admin).
        #[arg(long)]
        agency: Option<String>,
    },
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
        Command::Admin(AdminCommand::CreateUser { email, name, role, agency }) => {
            create_user(&settings, email, name, &role, agency).await
        }
        Command::Backup { to } => {
            let m = motcua_server::backup::backup(&settings, &to).await?;
            println!("backup written to {}: {} database, {} files", to.display(), m.engine, m.files.len());
            Ok(())
        }
        Command::Restore { from, force } => {
            let m = motcua_server::backup::restore(&settings, &from, force).await?;
            println!("restored the backup of {} ({} files)", m.created_at, m.files.len());
            Ok(())
        }
        Command::Stats(StatsCommand::Rebuild { from }) => {
            let from = match from {
                Some(d) => Some(
                    time::Date::parse(&d, time::macros::format_description!("[year]-[month]-[day]"))
                        .map_err(|_| anyhow::anyhow!("--from must be YYYY-MM-DD"))?,
                ),
                None => None,
            };
            let db = motcua_server::open_database(&settings).await?;
            let state =
                motcua_server::app_state(&settings, db, std::sync::Arc::new(app::ssr::ports::SystemClock))?;
            let rows =
                app::ssr::services::stats::rebuild(&state, from).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("statistics rebuilt: {rows} day × unit × procedure rows");
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

async fn create_user(
    settings: &Settings,
    email: String,
    name: String,
    role: &str,
    agency: Option<String>,
) -> anyhow::Result<()> {
    use app::ssr::auth::policy::Role;
    use app::ssr::services::accounts::officers::{NewOfficer, create};
    let role = Role::from_code(role).ok_or_else(|| anyhow::anyhow!("unknown role {role}"))?;
    let db = motcua_server::open_database(settings).await?;
    let state = motcua_server::app_state(settings, db, std::sync::Arc::new(app::ssr::ports::SystemClock))?;
    let agency_id = match &agency {
        Some(code) => {
            let mut conn = state.db.reader().acquire().await?;
            Some(
                app::ssr::db::agencies::id_by_code(&mut conn, code)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("no agency with code {code}"))?,
            )
        }
        None => None,
    };
    let (password, generated) = match std::env::var("MOTCUA_NEW_USER_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (app::ssr::auth::tokens::new_token().chars().take(20).collect(), true),
    };
    let id = create(
        &state,
        None,
        NewOfficer {
            email: email.clone(),
            full_name: name,
            password: password.clone(),
            roles: vec![(role, agency_id)],
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("created officer {email} (id {id}) with role {}", role.code());
    if generated {
        println!("initial password (shown once): {password}");
    }
    println!("at first sign-in they set up two-step verification with an authenticator app");
    state.db.close().await;
    Ok(())
}
