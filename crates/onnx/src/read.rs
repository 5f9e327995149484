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
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file (a device, FIFO or directory is refused)".into());
    }
    if meta.len() > cap {
        return Err(format!("{} bytes is over the {cap}-byte cap", meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > cap {
        return Err(format!(
            "over the {cap}-byte cap (the file grew while it was read)"
        ));
    }
    Ok(bytes)
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
