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

/// Writes `data` to `path` atomically (temp file in the same directory, then
/// rename) with the given Unix mode. Refuses to replace an existing file
/// unless `force` is set, so a failed or mistaken run never clobbers good
/// files.
#[allow(dead_code)]
pub(crate) fn write_file(path: &Path, data: &[u8], mode: u32, force: bool) -> anyhow::Result<()> {
    use anyhow::Context as _;
    if !force && path.exists() {
        anyhow::bail!(
            "{} already exists; use --force to overwrite it",
            path.display()
        );
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".talgen-")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(data)
        .with_context(|| format!("writing {}", path.display()))?;
    set_mode(tmp.as_file(), mode)?;
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("syncing {}", path.display()))?;
    if force {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    }
    .map_err(|e| e.error)
    .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(unix)]
fn set_mode(file: &std::fs::File, mode: u32) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_file: &std::fs::File, _mode: u32) -> anyhow::Result<()> {
    Ok(())
}

/// Writes to stdout, treating the whole buffer as one write.
#[allow(dead_code)]
pub(crate) fn write_stdout(data: &[u8]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(data)?;
    out.flush()?;
    Ok(())
}

/// A JSON string literal for `s`, for the commands' `-o json` output.
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
