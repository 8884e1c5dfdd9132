//! Shared output helpers for commands: error reports and safe file writes.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// Prints an error and its cause chain; a broken pipe on stdout is not an
/// error for a command-line tool and exits 0.
pub(crate) fn report(err: &anyhow::Error) -> ExitCode {
    if err
        .chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
    {
        return ExitCode::SUCCESS;
    }
    let mut msg = format!("talgen: error: {err}");
    for cause in err.chain().skip(1) {
        msg.push_str(&format!("\n  caused by: {cause}"));
    }
    eprintln!("{msg}");
    ExitCode::FAILURE
}

/// Writes `data` to `path` atomically: a temporary file in the same
/// directory is filled, synced and renamed over the destination, so a failed
/// run never leaves a truncated file where a good one was. Without `force` an
/// existing file is refused. A new file gets `mode` less the process umask
/// (what a Go tool's `os.WriteFile` gives); a replaced file gets `mode`
/// narrowed by the permissions it had, so a file the user made stricter
/// stays as strict and none is made looser than `mode`; a symlink is
/// followed and its target replaced.
pub(crate) fn write_file(path: &Path, data: &[u8], mode: u32, force: bool) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let is_link = path.is_symlink();
    if !force && (is_link || path.exists()) {
        anyhow::bail!(
            "{} already exists; use --force to overwrite it",
            path.display()
        );
    }
    let target = if is_link {
        std::fs::canonicalize(path)
            .with_context(|| format!("resolving the symlink {}", path.display()))?
    } else {
        path.to_path_buf()
    };
    let kept = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".talgen-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Applied when the file is created, so the umask takes its share.
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(data)
        .with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    if let Some(perms) = kept {
        use std::os::unix::fs::PermissionsExt;
        let narrowed = std::fs::Permissions::from_mode(perms.mode() & mode & 0o7777);
        tmp.as_file()
            .set_permissions(narrowed)
            .with_context(|| format!("keeping the permissions of {}", path.display()))?;
    }
    #[cfg(not(unix))]
    if let Some(perms) = kept {
        tmp.as_file()
            .set_permissions(perms)
            .with_context(|| format!("keeping the permissions of {}", path.display()))?;
    }
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("syncing {}", path.display()))?;
    if force {
        tmp.persist(&target)
    } else {
        tmp.persist_noclobber(&target)
    }
    .map_err(|e| e.error)
    .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Writes to stdout, treating the whole buffer as one write.
pub(crate) fn write_stdout(data: &[u8]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(data)?;
    out.flush()?;
    Ok(())
}
