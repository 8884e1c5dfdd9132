//! `talgen serve`: the nocloud-net config server (`talgen_server`), and its
//! key management.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};
use talgen_server::crypto::{Keyring, MasterKey};
use talgen_server::secret::Secret;
use talgen_server::service::{Role, Service, ServiceConfig};
use talgen_server::store::postgres::PostgresStore;
use talgen_server::store::sqlite::SqliteStore;
use talgen_server::store::Store;
use talgen_server::tls::TlsConfig;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, after_long_help = AFTER_HELP)]
pub(crate) struct ServeArgs {
    #[command(subcommand)]
    command: Option<ServeCommand>,

    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// The database: `sqlite:PATH` (created when missing; one server
    /// process), or `postgres://USER[:PASSWORD]@HOST:PORT/DB` shared by
    /// several replicas (changes reach the others' caches at once).
    #[arg(long, value_name = "URL", default_value = "sqlite:talgen.db")]
    db: String,

    /// Memory for rendered files kept ready to serve, in MiB; devices past
    /// it are read back from the database on their next fetch.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    cache_mib: usize,

    /// Address to listen on (port 0 picks a free port; the address chosen
    /// is printed on stderr).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,

    /// File with the master key (64 hex digits): it wraps every cluster's
    /// data key. Make one with `talgen serve gen-master-key`. During a
    /// rotation it holds the new key first and the old one below.
    #[arg(long, value_name = "FILE")]
    master_key_file: Option<PathBuf>,

    /// File with the admin API token registered as `admin` (role admin)
    /// at start; only its hash is stored.
    #[arg(long, value_name = "FILE")]
    admin_token_file: Option<PathBuf>,

    /// The URL devices reach this server at, for the SMBIOS serials the
    /// API hands out (default: http:// and the listen address, https://
    /// with --tls-cert).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,

    /// Path prefix of the seed routes.
    #[arg(long, value_name = "PATH", default_value = "/nocloud")]
    prefix: String,

    /// Serve HTTPS with this PEM certificate chain (the server's
    /// certificate first). Talos checks it against its system roots:
    /// use a public CA's certificate or bake your root into the image.
    /// Reloaded with --tls-key on SIGHUP.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,

    /// The PEM private key of --tls-cert (PKCS#8, EC or RSA; ECDSA P-256
    /// makes the cheapest handshakes).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum ServeCommand {
    /// Write a new random master key file (mode 0600; never overwrites).
    GenMasterKey {
        /// The key file to create.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Rewrap every cluster key with the first key of the key file, in one
    /// transaction, while servers keep running with the same file.
    #[command(after_long_help = ROTATE_HELP)]
    RotateMasterKey {
        /// The database: `sqlite:PATH` or `postgres://…`.
        #[arg(long, value_name = "URL")]
        db: String,
        /// The key file: the new key on the first line, the old below.
        #[arg(long, value_name = "FILE")]
        master_key_file: PathBuf,
    },
    /// Write a new random admin token file (mode 0600; never overwrites).
    GenToken {
        /// The token file to create.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
}

const AFTER_HELP: &str = "\
Devices fetch GET PREFIX/DEVICE/{meta-data,network-config,user-data} with basic
auth DEVICE:SECRET taken from their SMBIOS seed URL. An unknown device or wrong
secret is 401, a pending device's user-data is 503 (the node keeps retrying
instead of entering maintenance mode), network-config is always a valid
document. The admin API is under /api/v1 (bearer token; see
/api/v1/openapi.json); /healthz and /readyz report health.

Example:
  talgen serve gen-master-key -o master.key
  talgen serve gen-token -o admin.token
  talgen serve --db sqlite:/var/lib/talgen/talgen.db --listen 0.0.0.0:8080 \\
      --master-key-file master.key --admin-token-file admin.token \\
      --public-url https://seed.example.net";

const ROTATE_HELP: &str = "\
Rotation without downtime:
  1. talgen serve gen-master-key -o new.key
  2. put new.key's line above the old key in the key file every server uses,
     and restart the servers one by one (they open data under either key)
  3. talgen serve rotate-master-key --db URL --master-key-file FILE
  4. remove the old line (servers keep working; restart them at leisure)";

/// Creates `path` with mode 0600 holding `text`; refuses to overwrite.
pub(crate) fn write_new_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| {
        format!(
            "creating {} (an existing file is never overwritten)",
            path.display()
        )
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

fn open_store(db: &str) -> anyhow::Result<Arc<dyn Store>> {
    if let Some(path) = db.strip_prefix("sqlite:") {
        let path = path.strip_prefix("//").unwrap_or(path);
        if path.is_empty() {
            bail!("--db sqlite:PATH needs a path");
        }
        let store = SqliteStore::open_path(Path::new(path))
            .with_context(|| format!("opening the SQLite database {path}"))?;
        Ok(Arc::new(store))
    } else if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        // The URL may carry a password: name only the host in messages.
        let store = PostgresStore::connect(db)
            .with_context(|| format!("opening the PostgreSQL database at {}", redact_url(db)))?;
        Ok(Arc::new(store))
    } else {
        bail!("--db: expected sqlite:PATH or postgres://USER@HOST:PORT/DB")
    }
}

/// `url` without its password (`postgres://user:***@host/db`).
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(unparsable URL)".to_owned();
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{user}@{host}")
        }
        None => authority.to_owned(),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    format!("{scheme}://{authority}/{path}")
}

pub(crate) fn run(args: &ServeArgs) -> anyhow::Result<()> {
    match &args.command {
        Some(ServeCommand::GenMasterKey { output }) => {
            let key = MasterKey::generate()?;
            write_new_private(output, &format!("{}\n", key.to_hex()))?;
            eprintln!("wrote master key {} to {}", key.id(), output.display());
            Ok(())
        }
        Some(ServeCommand::RotateMasterKey {
            db,
            master_key_file,
        }) => {
            let keys = Keyring::read_file(master_key_file)?;
            let store = open_store(db)?;
            let moved = talgen_server::service::rotate_master_key(&*store, &keys)?;
            eprintln!(
                "rewrapped {moved} cluster keys with master key {}",
                keys.primary().id()
            );
            Ok(())
        }
        Some(ServeCommand::GenToken { output }) => {
            let token = Secret::generate().context("generating a token")?;
            write_new_private(output, &format!("{}\n", token.expose()))?;
            eprintln!("wrote a new token to {}", output.display());
            Ok(())
        }
        None => serve(&args.run),
    }
}

fn serve(args: &RunArgs) -> anyhow::Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TALGEN_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init();
    let Some(key_file) = &args.master_key_file else {
        bail!(
            "--master-key-file is required (make one with `talgen serve gen-master-key -o FILE`)"
        );
    };
    let master = Keyring::read_file(key_file)?;
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(Arc::new(
            TlsConfig::from_pem_files(cert, key).context("loading the TLS certificate")?,
        )),
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let store = open_store(&args.db)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("listening on {}", args.listen))?;
        let local = listener.local_addr()?;
        let config = ServiceConfig {
            public_url: args
                .public_url
                .clone()
                .unwrap_or_else(|| format!("{scheme}://{local}")),
            prefix: format!("/{}", args.prefix.trim_matches('/')),
            cache_bytes: args.cache_mib.saturating_mul(1 << 20),
        };
        let prefix = config.prefix.clone();
        let service = tokio::task::spawn_blocking(move || Service::open(store, master, config))
            .await
            .context("opening the server")??;
        if let Some(path) = &args.admin_token_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let token = text.trim();
            if token.len() < 16 {
                bail!(
                    "{}: an admin token needs at least 16 characters",
                    path.display()
                );
            }
            service.put_token("admin", Role::Admin, &Secret::new(token))?;
        }
        let router = talgen_server::http::router(Arc::clone(&service), &prefix);
        eprintln!("talgen serve: listening on {scheme}://{local}");
        match tls {
            Some(tls) => {
                let reloader = tokio::spawn(reload_on_hangup(Arc::clone(&tls)));
                talgen_server::tls::serve_tls(listener, router, tls, shutdown_signal()).await?;
                reloader.abort();
            }
            None => talgen_server::http::serve(listener, router, shutdown_signal()).await?,
        }
        eprintln!("talgen serve: stopping; flushing the fetch log");
        let s = Arc::clone(&service);
        tokio::task::spawn_blocking(move || s.shutdown()).await?;
        Ok(())
    })
}

/// Reads the certificate files again on each SIGHUP (certificate
/// renewals); a pair that does not load leaves the one in use.
async fn reload_on_hangup(tls: Arc<TlsConfig>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hup) = signal(SignalKind::hangup()) else {
            return;
        };
        while hup.recv().await.is_some() {
            let t = Arc::clone(&tls);
            match tokio::task::spawn_blocking(move || t.reload_pem_files()).await {
                Ok(Ok(())) => eprintln!(
                    "talgen serve: reloaded the TLS certificate from {}",
                    tls.cert_path().display()
                ),
                Ok(Err(e)) => {
                    eprintln!("talgen serve: keeping the TLS certificate in use: {e}");
                }
                Err(e) => eprintln!("talgen serve: TLS reload failed: {e}"),
            }
        }
    }
    #[cfg(not(unix))]
    drop(tls);
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        match (term, int) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
