//! Settings: built-in defaults, overridden by an optional TOML file, overridden by
//! `MOTCUA_*` environment variables and command-line flags. `server --help` lists them all.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use app::ssr::state::Environment;
use clap::Args;
use serde::Deserialize;

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (for log shippers).
    Json,
}

/// The settings as given (every one optional). The same struct reads the TOML file, whose
/// keys are the flag names with `_` instead of `-`.
#[derive(Debug, Default, Clone, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsArgs {
    /// TOML file with any of the settings below (keys as the flags, with `_`).
    #[arg(long, env = "MOTCUA_CONFIG", value_name = "FILE", global = true)]
    #[serde(skip)]
    pub config: Option<PathBuf>,

    /// Address to listen on [default: 127.0.0.1:3000].
    #[arg(long, env = "MOTCUA_LISTEN", value_name = "ADDR", global = true)]
    pub listen: Option<SocketAddr>,

    /// Directory for the SQLite database, uploaded files and backups [default: ./data].
    #[arg(long, env = "MOTCUA_DATA_DIR", value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    /// Database URL: `sqlite://FILE` or `postgres://USER:PASS@HOST/DB`
    /// [default: sqlite://<data-dir>/motcua.db].
    #[arg(long, env = "MOTCUA_DATABASE_URL", value_name = "URL", global = true)]
    pub database_url: Option<String>,

    /// `development` or `production`; production turns on Secure cookies, HSTS and JSON
    /// logs, and refuses development-only backends [default: development].
    #[arg(long = "env", env = "MOTCUA_ENV", value_name = "ENV", global = true)]
    #[serde(rename = "env")]
    pub environment: Option<EnvironmentArg>,

    /// Public origin of the portal, used in emailed links and the same-origin check
    /// [default: http://<listen>].
    #[arg(long, env = "MOTCUA_PUBLIC_URL", value_name = "URL", global = true)]
    pub public_url: Option<String>,

    /// Directory with the built front end (`pkg/` with wasm, JS and CSS, plus the public
    /// assets), as written by scripts/build [default: target/site].
    #[arg(long, env = "MOTCUA_SITE_ROOT", value_name = "DIR", global = true)]
    pub site_root: Option<PathBuf>,

    /// Largest accepted request body in bytes, uploads included [default: 26214400].
    #[arg(long, env = "MOTCUA_MAX_BODY_BYTES", value_name = "BYTES", global = true)]
    pub max_body_bytes: Option<usize>,

    /// Largest accepted scan (one file) in bytes [default: 20000000].
    #[arg(long, env = "MOTCUA_MAX_FILE_BYTES", value_name = "BYTES", global = true)]
    pub max_file_bytes: Option<u64>,

    /// Largest total of the scans of one dossier in bytes [default: 100000000].
    #[arg(long, env = "MOTCUA_MAX_DOSSIER_BYTES", value_name = "BYTES", global = true)]
    pub max_dossier_bytes: Option<u64>,

    /// Where uploaded files are kept: a directory, or `s3://BUCKET` for S3-compatible object
    /// storage configured by the standard AWS_* variables (AWS_ENDPOINT, AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ALLOW_HTTP) [default: <data-dir>/files].
    #[arg(long, env = "MOTCUA_STORAGE", value_name = "DIR|s3://BUCKET", global = true)]
    pub storage: Option<String>,

    /// clamd to scan every upload for malware: `tcp://HOST:PORT` or `unix:///PATH`; uploads
    /// are refused while it cannot be reached [default: none, no scanning].
    #[arg(long, env = "MOTCUA_CLAMD", value_name = "URL", global = true)]
    pub clamd: Option<String>,

    /// Drafts untouched for this many days are deleted with their unshared files [default: 30].
    #[arg(long, env = "MOTCUA_DRAFT_MAX_AGE_DAYS", value_name = "DAYS", global = true)]
    pub draft_max_age_days: Option<u32>,

    /// SMTP server for outgoing email, e.g. `smtp://127.0.0.1:1025` or
    /// `smtp://user:pass@mail.example.gov.vn:587?tls=required` [default: none; development
    /// writes .eml files to <data-dir>/mail/, production refuses to start].
    #[arg(long, env = "MOTCUA_SMTP_URL", value_name = "URL", global = true)]
    pub smtp_url: Option<String>,

    /// Sender of outgoing email [default: "MotCua <no-reply@motcua.local>"].
    #[arg(long, env = "MOTCUA_MAIL_FROM", value_name = "MAILBOX", global = true)]
    pub mail_from: Option<String>,

    /// Load demonstration data (accounts, agencies…) into an empty database at start-up and
    /// print the demo passwords; refused in production [default: false].
    #[arg(long, env = "MOTCUA_DEMO_DATA", value_name = "BOOL", global = true)]
    pub demo_data: Option<bool>,

    /// With the demo data, also make this many demo dossiers in every state over the past
    /// months (through the portal's own services; only into a database without dossiers)
    /// [default: 0].
    #[arg(long, env = "MOTCUA_DEMO_DOSSIERS", value_name = "N", global = true)]
    pub demo_dossiers: Option<usize>,

    /// Merchant (terminal) code at the VNPay gateway [default in development: MOTCUA01, the
    /// sandbox's; required in production].
    #[arg(long, env = "MOTCUA_VNPAY_TMN_CODE", value_name = "CODE", global = true)]
    pub vnpay_tmn_code: Option<String>,

    /// The merchant's hash secret at VNPay (HMAC-SHA512 key) [default in development: the
    /// sandbox's; required in production].
    #[arg(long, env = "MOTCUA_VNPAY_SECRET", value_name = "SECRET", global = true, hide_env_values = true)]
    pub vnpay_secret: Option<String>,

    /// VNPay payment page, e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html
    /// [default: the built-in sandbox, <public-url>/sandbox/vnpay/paymentv2/vpcpay.html].
    #[arg(long, env = "MOTCUA_VNPAY_URL", value_name = "URL", global = true)]
    pub vnpay_url: Option<String>,

    /// VNPay API for QueryDR, e.g. https://sandbox.vnpayment.vn/merchant_webapi/api/transaction
    /// [default: the built-in sandbox, <public-url>/sandbox/vnpay/merchant_webapi/api/transaction].
    #[arg(long, env = "MOTCUA_VNPAY_API_URL", value_name = "URL", global = true)]
    pub vnpay_api_url: Option<String>,

    /// The portal's IPN URL as registered at the gateway (the sandbox calls it)
    /// [default: <public-url>/payments/vnpay/ipn].
    #[arg(long, env = "MOTCUA_VNPAY_IPN_URL", value_name = "URL", global = true)]
    pub vnpay_ipn_url: Option<String>,

    /// Serve the sandbox payment gateway under /sandbox/vnpay/ (for development, demos and
    /// tests; refused in production) [default: true in development, false in production].
    #[arg(long, env = "MOTCUA_PAYMENT_SANDBOX", value_name = "BOOL", global = true)]
    pub payment_sandbox: Option<bool>,

    /// Online orders still pending after this many minutes are checked with the gateway
    /// (QueryDR) and settled or expired [default: 15].
    #[arg(long, env = "MOTCUA_PAYMENT_RECONCILE_MINUTES", value_name = "MINUTES", global = true)]
    pub payment_reconcile_minutes: Option<i64>,

    /// At start, how long to keep retrying (with backoff) a database that does not answer,
    /// meanwhile answering `/readyz` with 503 [default: 120].
    #[arg(long, env = "MOTCUA_DATABASE_WAIT_SECONDS", value_name = "SECONDS", global = true)]
    pub database_wait_seconds: Option<u64>,

    /// Calls per minute allowed to one API token (then 429 with Retry-After) [default: 120].
    #[arg(long, env = "MOTCUA_API_RATE_PER_MINUTE", value_name = "N", global = true)]
    pub api_rate_per_minute: Option<i64>,

    /// Seconds a public page (home, a procedure, the public statistics) is served from this
    /// process's cache to visitors who are not signed in; 0 turns the cache off [default: 10].
    #[arg(long, env = "MOTCUA_PAGE_CACHE_SECONDS", value_name = "SECONDS", global = true)]
    pub page_cache_seconds: Option<u64>,

    /// Reverse proxies whose `X-Forwarded-For` is believed, as addresses or CIDR ranges
    /// separated by commas (e.g. `127.0.0.1,10.0.0.0/8`); the client address used for rate
    /// limits and the audit log is then the last address in that header not in this list
    /// [default: none: the header is ignored and the connection's address is used].
    #[arg(long, env = "MOTCUA_TRUSTED_PROXIES", value_name = "LIST", global = true)]
    pub trusted_proxies: Option<String>,

    /// Accept webhook endpoints on plain http://127.0.0.1 or http://localhost (tests and
    /// development; others must be https) [default: true in development, false in production].
    #[arg(long, env = "MOTCUA_WEBHOOK_ALLOW_LOOPBACK_HTTP", value_name = "BOOL", global = true)]
    pub webhook_allow_loopback_http: Option<bool>,

    /// Log filter in tracing's syntax [default: info,sqlx=warn].
    #[arg(long, env = "MOTCUA_LOG", value_name = "FILTER", global = true)]
    pub log: Option<String>,

    /// Log format: text or json [default: text; json in production].
    #[arg(long, env = "MOTCUA_LOG_FORMAT", value_name = "FORMAT", global = true)]
    pub log_format: Option<LogFormat>,
}

/// `development` / `production` as a command-line value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EnvironmentArg {
    /// See [`Environment::Development`].
    Development,
    /// See [`Environment::Production`].
    Production,
}

impl From<EnvironmentArg> for Environment {
    fn from(value: EnvironmentArg) -> Self {
        match value {
            EnvironmentArg::Development => Environment::Development,
            EnvironmentArg::Production => Environment::Production,
        }
    }
}

/// The resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Listen address.
    pub listen: SocketAddr,
    /// Data directory.
    pub data_dir: PathBuf,
    /// Database URL.
    pub database_url: String,
    /// Development or production.
    pub environment: Environment,
    /// Public origin, without a trailing slash.
    pub public_url: String,
    /// Whether the public origin was derived from the listen address (then a server bound
    /// to port 0 uses the port it actually got).
    pub public_url_is_default: bool,
    /// Built front end.
    pub site_root: PathBuf,
    /// Request body limit.
    pub max_body_bytes: usize,
    /// Cap on one uploaded file.
    pub max_file_bytes: u64,
    /// Cap on all files of a dossier.
    pub max_dossier_bytes: u64,
    /// Directory or `s3://bucket` for files.
    pub storage: String,
    /// clamd address, if scanning is on.
    pub clamd: Option<String>,
    /// Age after which untouched drafts are removed, in days.
    pub draft_max_age_days: u32,
    /// Log filter.
    pub log: String,
    /// Log format.
    pub log_format: LogFormat,
    /// SMTP URL, if any.
    pub smtp_url: Option<String>,
    /// Sender mailbox.
    pub mail_from: String,
    /// Load demo data.
    pub demo_data: bool,
    /// How many demo dossiers to make with the demo data.
    pub demo_dossiers: usize,
    /// VNPay merchant code (None: the sandbox's default).
    pub vnpay_tmn_code: Option<String>,
    /// VNPay hash secret (None: the sandbox's default); redacted in `server config`.
    pub vnpay_secret: Option<Secret>,
    /// Payment page URL (None: the built-in sandbox).
    pub vnpay_url: Option<String>,
    /// API URL (None: the built-in sandbox).
    pub vnpay_api_url: Option<String>,
    /// IPN URL (None: the portal's own).
    pub vnpay_ipn_url: Option<String>,
    /// Whether the sandbox gateway is served.
    pub payment_sandbox: bool,
    /// Minutes before reconciliation looks at a pending order.
    pub payment_reconcile_minutes: i64,
    /// Seconds to keep retrying an unavailable database at start.
    pub database_wait_seconds: u64,
    /// Calls per minute per API token.
    pub api_rate_per_minute: i64,
    /// Seconds public pages are cached for visitors who are not signed in (0: off).
    pub page_cache_seconds: u64,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Whether webhook endpoints may be plain http on loopback.
    pub webhook_allow_loopback_http: bool,
}

/// A secret setting: shown as `<redacted>` by `Debug` (so `server config` does not print it).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for the code that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The sandbox's merchant code and secret (development only; production refuses them).
pub const SANDBOX_TMN_CODE: &str = "MOTCUA01";
/// See [`SANDBOX_TMN_CODE`].
pub const SANDBOX_SECRET: &str = "MOTCUA-SANDBOX-SECRET-NOT-FOR-PRODUCTION";

impl Settings {
    /// Resolves the settings: flags and environment first, then the TOML file, then defaults.
    pub fn resolve(args: &SettingsArgs) -> anyhow::Result<Settings> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => SettingsArgs::default(),
        };
        let listen = args.listen.or(file.listen).unwrap_or(([127, 0, 0, 1], 3000).into());
        let data_dir = args.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = args
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("motcua.db").display()));
        let environment: Environment =
            args.environment.or(file.environment).map(Into::into).unwrap_or(Environment::Development);
        let explicit_public_url = args.public_url.clone().or(file.public_url);
        let public_url_is_default = explicit_public_url.is_none();
        let public_url = explicit_public_url
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_string();
        let log_format = args.log_format.or(file.log_format).unwrap_or(if environment.is_production() {
            LogFormat::Json
        } else {
            LogFormat::Text
        });
        let settings = Settings {
            listen,
            data_dir: data_dir.clone(),
            database_url,
            environment,
            public_url,
            public_url_is_default,
            site_root: args
                .site_root
                .clone()
                .or(file.site_root)
                .unwrap_or_else(|| PathBuf::from("target/site")),
            max_body_bytes: args.max_body_bytes.or(file.max_body_bytes).unwrap_or(25 * 1024 * 1024),
            max_file_bytes: args.max_file_bytes.or(file.max_file_bytes).unwrap_or(20_000_000),
            max_dossier_bytes: args.max_dossier_bytes.or(file.max_dossier_bytes).unwrap_or(100_000_000),
            storage: args
                .storage
                .clone()
                .or(file.storage)
                .unwrap_or_else(|| data_dir.join("files").display().to_string()),
            clamd: args.clamd.clone().or(file.clamd),
            draft_max_age_days: args.draft_max_age_days.or(file.draft_max_age_days).unwrap_or(30),
            log: args.log.clone().or(file.log).unwrap_or_else(|| "info,sqlx=warn".to_string()),
            log_format,
            smtp_url: args.smtp_url.clone().or(file.smtp_url),
            mail_from: args
                .mail_from
                .clone()
                .or(file.mail_from)
                .unwrap_or_else(|| "MotCua <no-reply@motcua.local>".into()),
            demo_data: args.demo_data.or(file.demo_data).unwrap_or(false),
            demo_dossiers: args.demo_dossiers.or(file.demo_dossiers).unwrap_or(0),
            vnpay_tmn_code: args.vnpay_tmn_code.clone().or(file.vnpay_tmn_code),
            vnpay_secret: args.vnpay_secret.clone().or(file.vnpay_secret).map(Secret),
            vnpay_url: args.vnpay_url.clone().or(file.vnpay_url),
            vnpay_api_url: args.vnpay_api_url.clone().or(file.vnpay_api_url),
            vnpay_ipn_url: args.vnpay_ipn_url.clone().or(file.vnpay_ipn_url),
            payment_sandbox: args
                .payment_sandbox
                .or(file.payment_sandbox)
                .unwrap_or(!environment.is_production()),
            payment_reconcile_minutes: args
                .payment_reconcile_minutes
                .or(file.payment_reconcile_minutes)
                .unwrap_or(15)
                .max(1),
            database_wait_seconds: args.database_wait_seconds.or(file.database_wait_seconds).unwrap_or(120),
            api_rate_per_minute: args.api_rate_per_minute.or(file.api_rate_per_minute).unwrap_or(120).max(1),
            page_cache_seconds: args.page_cache_seconds.or(file.page_cache_seconds).unwrap_or(10),
            trusted_proxies: parse_networks(
                args.trusted_proxies.as_deref().or(file.trusted_proxies.as_deref()).unwrap_or(""),
            )?,
            webhook_allow_loopback_http: args
                .webhook_allow_loopback_http
                .or(file.webhook_allow_loopback_http)
                .unwrap_or(!environment.is_production()),
        };
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> anyhow::Result<()> {
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            anyhow::bail!("MOTCUA_PUBLIC_URL must start with http:// or https://");
        }
        if self.environment.is_production() && !self.public_url.starts_with("https://") {
            anyhow::bail!("in production MOTCUA_PUBLIC_URL must be an https:// origin");
        }
        if self.environment.is_production() && self.smtp_url.is_none() {
            anyhow::bail!(
                "in production MOTCUA_SMTP_URL is required (the file mail transport is for development)"
            );
        }
        // The body limit must leave room for the form around a file (64 KiB is plenty), or
        // big files meet the bare 413 of the body limit instead of the page's message.
        if (self.max_body_bytes as u64) <= self.max_file_bytes {
            anyhow::bail!(
                "MOTCUA_MAX_BODY_BYTES ({}) must exceed MOTCUA_MAX_FILE_BYTES ({}); leave about 64 KiB for the form around an upload",
                self.max_body_bytes,
                self.max_file_bytes
            );
        }
        if self.max_dossier_bytes < self.max_file_bytes {
            anyhow::bail!("MOTCUA_MAX_DOSSIER_BYTES must be at least MOTCUA_MAX_FILE_BYTES");
        }
        if self.environment.is_production()
            && (self.payment_sandbox
                || self.vnpay_tmn_code.is_none()
                || self.vnpay_secret.as_ref().is_none_or(|s| s.expose() == SANDBOX_SECRET)
                || self.vnpay_url.is_none()
                || self.vnpay_api_url.is_none())
        {
            anyhow::bail!(
                "in production the payment sandbox is refused: set MOTCUA_VNPAY_TMN_CODE, MOTCUA_VNPAY_SECRET, MOTCUA_VNPAY_URL and MOTCUA_VNPAY_API_URL"
            );
        }
        if self.environment.is_production() && self.demo_data {
            anyhow::bail!("demo data is refused in production");
        }
        Ok(())
    }

    /// Whether cookies must carry `Secure` (production, or any https origin).
    pub fn secure_cookies(&self) -> bool {
        self.environment.is_production() || self.public_url.starts_with("https://")
    }
}

fn read_file(path: &Path) -> anyhow::Result<SettingsArgs> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// `10.0.0.0/8, 127.0.0.1` → networks (a bare address is a network of one).
fn parse_networks(list: &str) -> anyhow::Result<Vec<ipnet::IpNet>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| anyhow::anyhow!("MOTCUA_TRUSTED_PROXIES: {s:?} is not an address or CIDR range"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_serve_sqlite_in_data_dir_on_loopback() -> anyhow::Result<()> {
        let s = Settings::resolve(&SettingsArgs::default())?;
        assert_eq!(s.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(s.data_dir, PathBuf::from("./data"));
        assert_eq!(s.database_url, "sqlite://./data/motcua.db");
        assert_eq!(s.environment, Environment::Development);
        assert_eq!(s.public_url, "http://127.0.0.1:3000");
        assert!(!s.secure_cookies());
        assert!(s.payment_sandbox, "the sandbox gateway in development");
        assert_eq!(s.payment_reconcile_minutes, 15);
        assert_eq!(s.api_rate_per_minute, 120);
        assert_eq!(s.page_cache_seconds, 10);
        assert!(s.webhook_allow_loopback_http, "test receivers on loopback in development");
        assert!(s.trusted_proxies.is_empty(), "X-Forwarded-For ignored unless proxies are named");
        Ok(())
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() -> anyhow::Result<()> {
        let args =
            SettingsArgs { trusted_proxies: Some("127.0.0.1, 10.0.0.0/8,::1".into()), ..Default::default() };
        let s = Settings::resolve(&args)?;
        let shown: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        let bad =
            SettingsArgs { trusted_proxies: Some("10.0.0.0/8,proxy.local".into()), ..Default::default() };
        let err = Settings::resolve(&bad).expect_err("a host name is refused");
        assert!(err.to_string().contains("proxy.local"), "{err}");
        Ok(())
    }

    #[test]
    fn flags_override_the_file_which_overrides_defaults() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("motcua.toml");
        std::fs::write(&path, "listen = \"0.0.0.0:8080\"\ndata_dir = \"/srv/motcua\"\nlog = \"debug\"\n")?;
        let args = SettingsArgs { config: Some(path), log: Some("warn".into()), ..SettingsArgs::default() };
        let s = Settings::resolve(&args)?;
        assert_eq!(s.listen.to_string(), "0.0.0.0:8080");
        assert_eq!(s.database_url, "sqlite:///srv/motcua/motcua.db");
        assert_eq!(s.log, "warn");
        Ok(())
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("motcua.toml");
        std::fs::write(&path, "lisen = \"0.0.0.0:8080\"\n")?;
        let args = SettingsArgs { config: Some(path), ..SettingsArgs::default() };
        assert!(Settings::resolve(&args).is_err());
        Ok(())
    }

    #[test]
    fn production_needs_https_and_gets_secure_cookies() -> anyhow::Result<()> {
        let mut args =
            SettingsArgs { environment: Some(EnvironmentArg::Production), ..SettingsArgs::default() };
        assert!(Settings::resolve(&args).is_err());
        args.public_url = Some("https://dvc.example.gov.vn/".into());
        assert!(Settings::resolve(&args).is_err(), "no SMTP server");
        args.smtp_url = Some("smtp://mail.example.gov.vn:587?tls=required".into());
        args.demo_data = Some(true);
        assert!(Settings::resolve(&args).is_err(), "demo data in production");
        args.demo_data = None;
        assert!(Settings::resolve(&args).is_err(), "the payment sandbox in production");
        args.vnpay_tmn_code = Some("DVCHY001".into());
        args.vnpay_secret = Some("a-real-secret".into());
        args.vnpay_url = Some("https://pay.vnpay.vn/vpcpay.html".into());
        args.vnpay_api_url = Some("https://merchant.vnpay.vn/merchant_webapi/api/transaction".into());
        let s = Settings::resolve(&args)?;
        assert!(!s.payment_sandbox);
        assert!(!s.webhook_allow_loopback_http, "webhooks are https in production");
        assert!(!format!("{s:?}").contains("a-real-secret"), "the secret is not printed");
        assert!(s.secure_cookies());
        assert_eq!(s.public_url, "https://dvc.example.gov.vn");
        Ok(())
    }
}
