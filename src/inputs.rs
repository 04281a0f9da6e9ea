//! Opening input files safely.
//!
//! Every file womsim reads (scenario, edge list, seed-id files) is opened
//! with [`open_regular`], which refuses anything but a regular file: a FIFO
//! would block forever waiting for a writer, a device such as `/dev/zero`
//! never ends, and a directory is not text. On Linux the file is opened
//! non-blocking and checked on the open handle (`fstat`), so a FIFO cannot
//! block even if it replaces a regular file between the check and the open.
//!
//! Text files (scenario, seed ids) are read whole with [`read_text_bounded`],
//! which stops at a size limit ([`MAX_TEXT_BYTES`]) instead of growing a
//! buffer until memory runs out, and names the line of any invalid UTF-8.
//! The edge-list loader streams its input and bounds it itself (see
//! [`crate::graph::edgelist::MAX_LINE_BYTES`] and
//! [`crate::graph::edgelist::MAX_EDGE_LIST_BYTES`]). Data files read back
//! from a results or shard folder (`plot`, `merge`, `compare`) are streamed
//! through [`open_bounded`], which stops with an error at a total size or a
//! line length limit, so neither a file without newlines nor an endless one
//! grows a buffer until memory runs out.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Largest scenario or seed-id file read: 64 MiB. Scenarios are a few
/// kilobytes; a seed file listing a million ids is about 10 MB.
pub const MAX_TEXT_BYTES: u64 = 64 << 20;

/// What a non-regular file is, for the error message.
fn kind_of(meta: &Metadata) -> &'static str {
    let ft = meta.file_type();
    if ft.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

fn not_regular(meta: &Metadata) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{} is not a regular file; womsim reads inputs only from regular files", kind_of(meta)),
    )
}

/// Open `path` for reading if it is a regular file (symbolic links are
/// followed); a directory, FIFO, socket or device is refused with an
/// [`io::ErrorKind::InvalidInput`] error saying what it is. Never blocks.
pub fn open_regular(path: &Path) -> io::Result<File> {
    // A first check by path: the common refusals without opening anything
    // (opening a FIFO for reading would wait for a writer).
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let file = open_nonblocking(path)?;
    // The check that counts: on the handle actually opened.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok(file)
}

#[cfg(target_os = "linux")]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK has no effect on reads from a regular file, and makes the
    // open of a FIFO return at once.
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(target_os = "linux"))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Read the regular file at `path` as UTF-8 text of at most `max` bytes.
/// Errors (as [`io::Error`], kind `InvalidInput` or `InvalidData`) say what
/// is wrong: not a regular file, larger than `max` (nothing beyond `max + 1`
/// bytes is read), or invalid UTF-8 (with the 1-based line).
pub fn read_text_bounded(path: &Path, max: u64) -> io::Result<String> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the file is larger than the limit of {} ({max} bytes)", human_bytes(max)),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&c| c == b'\n').count() + 1;
        io::Error::new(io::ErrorKind::InvalidData, format!("line {line}: the text is not valid UTF-8"))
    })
}

/// Longest line of a data file read back from a results or shard folder:
/// 1 MiB (a `timeseries.csv` row is under 1 KB; names are at most 4 KB).
pub const MAX_DATA_LINE_BYTES: u64 = 1 << 20;

/// Largest data file read back from a results or shard folder: 16 GiB.
/// Far above any folder a run can write within the resource check (what is
/// kept in memory is bounded by the readers' own structure checks); only a
/// file that never ends reaches it.
pub const MAX_DATA_BYTES: u64 = 16 << 30;

/// A reader that fails (kind `InvalidData`) once more than `max` bytes
/// have been read, or a line is longer than `max_line` bytes.
#[derive(Debug)]
pub struct Bounded<R> {
    inner: R,
    max: u64,
    max_line: u64,
    read: u64,
    /// Bytes since the last newline.
    line: u64,
    /// 1-based number of the line being read.
    line_no: u64,
}

impl<R: Read> Bounded<R> {
    /// Bound `inner` to `max` bytes in all and `max_line` bytes per line.
    pub fn new(inner: R, max: u64, max_line: u64) -> Self {
        Bounded { inner, max, max_line, read: 0, line: 0, line_no: 1 }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.read += k as u64;
        if self.read > self.max {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the file is larger than the limit of {} ({} bytes)", human_bytes(self.max), self.max),
            ));
        }
        for &c in &buf[..k] {
            if c == b'\n' {
                self.line = 0;
                self.line_no += 1;
            } else {
                self.line += 1;
                if self.line > self.max_line {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("line {}: longer than the limit of {}", self.line_no, human_bytes(self.max_line)),
                    ));
                }
            }
        }
        Ok(k)
    }
}

/// Open the regular file at `path` ([`open_regular`]) for streaming, bounded
/// to [`MAX_DATA_BYTES`] and lines of [`MAX_DATA_LINE_BYTES`].
pub fn open_bounded(path: &Path) -> io::Result<Bounded<File>> {
    Ok(Bounded::new(open_regular(path)?, MAX_DATA_BYTES, MAX_DATA_LINE_BYTES))
}

/// `64 MiB`, `1 MiB`, `4 GiB`, or plain bytes when not a whole number of KiB.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size && n % size == 0 {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{n} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn regular_files_are_read() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all("a = 1\nb = \"é\"\n".as_bytes()).unwrap();
        assert_eq!(read_text_bounded(f.path(), 100).unwrap(), "a = 1\nb = \"é\"\n");
        // Exactly at the limit is fine, one byte over is not.
        let len = std::fs::metadata(f.path()).unwrap().len();
        assert!(read_text_bounded(f.path(), len).is_ok());
        let e = read_text_bounded(f.path(), len - 1).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().contains("larger than the limit"), "{e}");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"a = 1\nb = 2\nc = \"\xff\"\n").unwrap();
        let e = read_text_bounded(f.path(), 100).unwrap_err();
        assert_eq!(e.to_string(), "line 3: the text is not valid UTF-8");
    }

    #[test]
    fn directories_and_devices_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = open_regular(dir.path()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().starts_with("a directory is not a regular file"), "{e}");
        #[cfg(unix)]
        {
            let e = read_text_bounded(Path::new("/dev/zero"), MAX_TEXT_BYTES).unwrap_err();
            assert!(e.to_string().starts_with("a character device is not a regular file"), "{e}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = open_regular(&fifo).unwrap_err();
        assert!(e.to_string().starts_with("a FIFO (named pipe) is not a regular file"), "{e}");
        // The handle check alone (as if the path check had been raced).
        let f = open_nonblocking(&fifo).unwrap();
        assert!(!f.metadata().unwrap().is_file());
    }

    #[test]
    fn bounded_reads_stop_at_the_size_and_line_limits() {
        let read = |text: &[u8], max, line| {
            let mut out = Vec::new();
            Bounded::new(text, max, line).read_to_end(&mut out).map(|_| out)
        };
        assert_eq!(read(b"ab\ncd\n", 6, 2).unwrap(), b"ab\ncd\n");
        let e = read(b"ab\ncd\n", 5, 2).unwrap_err();
        assert!(e.to_string().contains("larger than the limit of 5 bytes"), "{e}");
        let e = read(b"ab\ncde\n", 100, 2).unwrap_err();
        assert_eq!(e.to_string(), "line 2: longer than the limit of 2 bytes");
        #[cfg(unix)]
        {
            let e = open_bounded(Path::new("/dev/zero")).unwrap_err();
            assert!(e.to_string().starts_with("a character device is not a regular file"), "{e}");
        }
    }

    #[test]
    fn byte_sizes_read_well() {
        assert_eq!(human_bytes(MAX_TEXT_BYTES), "64 MiB");
        assert_eq!(human_bytes(4 << 30), "4 GiB");
        assert_eq!(human_bytes(1000), "1000 bytes");
    }
}
