//! Reading a file a stranger handed us: a regular file only, and never more than its cap.
//!
//! A size check on the reported length alone is not enough: `/dev/zero`, a FIFO or a file that
//! grows while it is read report a length of 0 and then stream without end. So the file must be a
//! regular file (a device or FIFO is refused before reading: a FIFO with no writer would block
//! `open`'s caller forever, or `/dev/zero` fill the cap), and the read itself stops at `cap + 1`
//! bytes whatever the length said.

use std::io::Read;
use std::path::Path;

/// Reads `path` if it is a regular file of at most `cap` bytes; the error names what is wrong.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, String> {
    let (file, len) = open_regular(path, cap)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > cap {
        return Err(grew(cap));
    }
    Ok(bytes)
}

/// Opens `path` for a streaming parser: a regular file of at most `cap` bytes by its reported
/// length, read through at most `cap + 1` bytes. After parsing, [`over_cap`] tells whether the
/// file held more than `cap` (it grew while it was read).
pub fn open_capped(path: &Path, cap: u64) -> Result<std::io::Take<std::fs::File>, String> {
    Ok(open_regular(path, cap)?.0.take(cap.saturating_add(1)))
}

/// Whether a reader from [`open_capped`] reached past its cap.
pub fn over_cap(reader: &std::io::Take<std::fs::File>) -> bool {
    reader.limit() == 0
}

/// The error of a file over its cap that its reported length did not show.
pub fn grew(cap: u64) -> String {
    format!("over the {cap}-byte cap (the file grew while it was read)")
}

fn open_regular(path: &Path, cap: u64) -> Result<(std::fs::File, u64), String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file (a device, FIFO or directory is refused)".into());
    }
    if meta.len() > cap {
        return Err(format!("{} bytes is over the {cap}-byte cap", meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    Ok((file, meta.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_large_files_are_refused() {
        let e = read_capped(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
        let e = read_capped(Path::new("/tmp"), 1 << 20).unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
        let dir = std::env::temp_dir().join(format!("zkinfer-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("f");
        std::fs::write(&f, [7u8; 100]).unwrap();
        assert_eq!(read_capped(&f, 100).unwrap().len(), 100);
        let e = read_capped(&f, 99).unwrap_err();
        assert!(e.contains("over the 99-byte cap"), "{e}");
        assert!(read_capped(&dir.join("missing"), 10).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
