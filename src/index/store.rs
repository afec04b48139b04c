//! The index on disk: open (refusing other schema versions), create, lock,
//! read, and rebuild beside the live index then swap it in. Storage errors
//! are told apart by their `io::ErrorKind`, never by their message.

use super::codec::Codec;
use super::schema;
use super::shared::{ReadOnlyDirectory, share_like};
use std::io;
use std::path::{Path, PathBuf};
use tantivy::directory::error::{LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

/// The size of the document store's compressed blocks. Reading a hit's
/// stored paragraph decompresses its whole block: tantivy's 16 KiB default
/// decompressed about 70 KB for each one-off search of ten hits on the dev
/// index; see benches/README.md for the sizes and times measured.
const DOCSTORE_BLOCK: usize = 4096;

/// Decompressed blocks a server's reader keeps (tantivy's default).
const DOCSTORE_CACHE_BLOCKS: usize = 100;

/// The documents a query matches, in the order they are stored: read so,
/// each block of the document store is decompressed once, however few
/// blocks the reader keeps (`Store::reader`).
pub fn in_store_order(
    searcher: &tantivy::Searcher,
    q: &dyn tantivy::query::Query,
) -> tantivy::Result<Vec<tantivy::DocAddress>> {
    let mut docs: Vec<_> = searcher.search(q, &tantivy::collector::DocSetCollector)?.into_iter().collect();
    docs.sort_unstable();
    Ok(docs)
}

/// The file beside tantivy's own that records which insp schema built the index.
pub const VERSION_FILE: &str = "insp-version.json";

/// The writer's memory budget (tantivy splits it between its threads).
const WRITER_BYTES: usize = 128_000_000;
/// A writer held only for its lock: one thread, tantivy's smallest budget.
const LOCK_WRITER_BYTES: usize = 15_000_000;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no index at {0}; run `insp index` to build one")]
    Missing(PathBuf),
    #[error(
        "{0} is not an insp index ({1}); choose another --index directory, or delete this one and run `insp index`"
    )]
    NotAnIndex(PathBuf, String),
    #[error(
        "the index at {dir} was built by another version of insp (schema {found}, this insp needs {expected}); rebuild it with `insp index --rebuild`"
    )]
    SchemaMismatch { dir: PathBuf, found: String, expected: String },
    #[error("another insp is writing to the index at {0}; wait for it to finish and try again")]
    Locked(PathBuf),
    #[error("the index at {0} is damaged ({1}); rebuild it with `insp index --rebuild`")]
    Damaged(PathBuf, String),
    #[error(
        "cannot use the index at {0}: {1}; nothing in it was changed. Check the directory's permissions and free space, or choose another with --index"
    )]
    Access(PathBuf, Trouble),
    #[error(
        "cannot read the index at {dir}: {file} is not readable by this user; whoever built the index can let others read it with `chmod -R a+rX {dir}`, or choose another index with --index"
    )]
    Unreadable { dir: PathBuf, file: String },
}

/// Why the index could not be used, when a rebuild would not mend it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    PermissionDenied,
    ReadOnly,
    DiskFull,
    QuotaExceeded,
    TooManyOpenFiles,
    FileTooLarge,
    /// tantivy's indexing thread stopped on an I/O error it keeps to itself.
    WriterStopped,
}

impl std::fmt::Display for Trouble {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Trouble::PermissionDenied => "permission denied",
            Trouble::ReadOnly => "the file system is read-only",
            Trouble::DiskFull => "the disk is full",
            Trouble::QuotaExceeded => "the disk quota is used up",
            Trouble::TooManyOpenFiles => "too many open files (raise the limit with `ulimit -n`)",
            Trouble::FileTooLarge => "a file grew past the size this system allows (a full disk or a file size limit)",
            Trouble::WriterStopped => {
                "writing to it failed part way (a full disk, a file size limit or a permission problem)"
            }
        })
    }
}

impl Trouble {
    fn of_io(e: &io::Error) -> Option<Trouble> {
        /// EMFILE on Linux and the BSDs: std has no `ErrorKind` for it.
        const TOO_MANY_OPEN_FILES: i32 = 24;
        Some(match e.kind() {
            io::ErrorKind::PermissionDenied => Trouble::PermissionDenied,
            io::ErrorKind::ReadOnlyFilesystem => Trouble::ReadOnly,
            io::ErrorKind::StorageFull => Trouble::DiskFull,
            io::ErrorKind::QuotaExceeded => Trouble::QuotaExceeded,
            io::ErrorKind::FileTooLarge => Trouble::FileTooLarge,
            _ if e.raw_os_error() == Some(TOO_MANY_OPEN_FILES) => Trouble::TooManyOpenFiles,
            _ => return None,
        })
    }

    /// The trouble behind a tantivy error: the `io::Error` inside it (tantivy
    /// keeps most of them out of `source()`), else one in its error chain.
    fn of_tantivy(e: &TantivyError) -> Option<Trouble> {
        let io = match e {
            TantivyError::IoError(io) => Some(&**io),
            TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. }) => Some(&**io_error),
            TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => Some(&**io_error),
            TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => Some(&**io_error),
            TantivyError::LockFailure(LockError::IoError(io), _) => Some(&**io),
            TantivyError::ErrorInThread(_) => return Some(Trouble::WriterStopped),
            _ => None,
        };
        io.and_then(Trouble::of_io).or_else(|| {
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                if let Some(t) = s.downcast_ref::<io::Error>().and_then(Trouble::of_io) {
                    return Some(t);
                }
                source = s.source();
            }
            None
        })
    }
}

impl StoreError {
    /// A storage error from tantivy: a permission, a read-only or full disk
    /// (which a rebuild would not mend), else damage.
    pub fn from_storage(dir: &Path, error: &TantivyError) -> StoreError {
        let unreadable =
            |path: &Path| StoreError::Unreadable { dir: dir.to_path_buf(), file: path.display().to_string() };
        match error {
            TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
                if io_error.kind() == io::ErrorKind::PermissionDenied =>
            {
                return unreadable(filepath);
            }
            TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error, directory_path })
                if io_error.kind() == io::ErrorKind::PermissionDenied =>
            {
                return unreadable(directory_path);
            }
            _ => {}
        }
        match Trouble::of_tantivy(error) {
            Some(trouble) => StoreError::Access(dir.to_path_buf(), trouble),
            None => StoreError::Damaged(dir.to_path_buf(), error.to_string()),
        }
    }
}

/// An open index.
pub struct Store {
    pub dir: PathBuf,
    pub index: Index,
    pub codec: Codec,
}

impl Store {
    /// Is there an index (of any version) in `dir`?
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").exists()
    }

    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        if !dir.exists() {
            return Err(StoreError::Missing(dir.to_path_buf()));
        }
        if let Err(e) = dir.join("meta.json").try_exists()
            && e.kind() == io::ErrorKind::PermissionDenied
        {
            return Err(StoreError::Unreadable { dir: dir.to_path_buf(), file: "its directory".into() });
        }
        if !Self::exists(dir) {
            let empty = std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
            return Err(if empty {
                StoreError::Missing(dir.to_path_buf())
            } else {
                StoreError::NotAnIndex(dir.to_path_buf(), "it has no meta.json".into())
            });
        }
        if let Err(e) = std::fs::File::open(dir.join(VERSION_FILE))
            && e.kind() == io::ErrorKind::PermissionDenied
        {
            return Err(StoreError::Unreadable { dir: dir.to_path_buf(), file: VERSION_FILE.into() });
        }
        let found = read_version(dir).map_err(|e| StoreError::NotAnIndex(dir.to_path_buf(), e))?;
        if found != schema::version() {
            return Err(StoreError::SchemaMismatch { dir: dir.to_path_buf(), found, expected: schema::version() });
        }
        let index = match Index::open_in_dir(dir) {
            Ok(index) => index,
            // Another user's index: read it without writing.
            Err(e) if Trouble::of_tantivy(&e).is_some() => Self::open_read_only(dir)?,
            Err(e) => return Err(StoreError::from_storage(dir, &e)),
        };
        schema::register_analyzers(&index);
        let codec = Codec::new(&index.schema()).map_err(|e| StoreError::Damaged(dir.to_path_buf(), e.to_string()))?;
        Ok(Store { dir: dir.to_path_buf(), index, codec })
    }

    /// The index in `dir`, created empty if there is none yet.
    pub fn open_or_create(dir: &Path) -> anyhow::Result<Store> {
        match Store::open(dir) {
            Ok(s) => Ok(s),
            Err(StoreError::Missing(_)) => Store::create(dir),
            Err(e) => Err(e.into()),
        }
    }

    fn open_read_only(dir: &Path) -> Result<Index, StoreError> {
        let open = || Index::open(ReadOnlyDirectory::open(dir)?);
        let index = open().map_err(|e| StoreError::from_storage(dir, &e))?;
        schema::register_analyzers(&index);
        Ok(index)
    }

    /// A new, empty index in `dir` (which must be missing or empty).
    /// Stored documents are compressed in blocks of `DOCSTORE_BLOCK` bytes.
    pub fn create(dir: &Path) -> anyhow::Result<Store> {
        use anyhow::Context;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the index directory {}", dir.display()))?;
        let version = serde_json::json!({ "schema_version": schema::version(), "insp": env!("CARGO_PKG_VERSION") });
        std::fs::write(dir.join(VERSION_FILE), serde_json::to_vec_pretty(&version)?)
            .with_context(|| format!("cannot write to the index directory {}", dir.display()))?;
        let settings = tantivy::IndexSettings { docstore_blocksize: DOCSTORE_BLOCK, ..Default::default() };
        let index = Index::builder()
            .schema(schema::build_schema())
            .settings(settings)
            .create_in_dir(dir)
            .with_context(|| format!("cannot create an index in {}", dir.display()))?;
        schema::register_analyzers(&index);
        share_like(dir, &dir.join(VERSION_FILE))
            .with_context(|| format!("cannot set the permissions of the index in {}", dir.display()))?;
        let codec = Codec::new(&index.schema())?;
        Ok(Store { dir: dir.to_path_buf(), index, codec })
    }

    /// Is `dir` an index insp built (of any schema version)?
    pub fn is_insp(dir: &Path) -> bool {
        Self::exists(dir) && read_version(dir).is_ok()
    }

    /// Hold the writer lock of the index in `dir` (any schema version), if
    /// there is one there, until the returned value is dropped.
    pub fn lock(dir: &Path) -> Result<Option<IndexWriter>, StoreError> {
        if !Self::is_insp(dir) {
            return Ok(None);
        }
        let Ok(index) = Index::open_in_dir(dir) else { return Ok(None) };
        match index.writer_with_num_threads(1, LOCK_WRITER_BYTES) {
            Ok(w) => Ok(Some(w)),
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => Err(StoreError::Locked(dir.to_path_buf())),
            Err(_) => Ok(None),
        }
    }

    /// A reader that sees the last commit; one-shot commands need no
    /// reloads. Where tantivy's lock file cannot be written (another user's
    /// index, a read-only disk), the index is read without it.
    ///
    /// It keeps one decompressed block of the document store, not
    /// tantivy's hundred: a one-off search reads each of its hits' blocks
    /// once (17 blocks, none twice, for ten hits and their reports on the
    /// dev index), and every block kept was memory fresh from the kernel, a
    /// page fault a page; 17 fewer faults, about 40 us (benches/README.md).
    /// What reads many documents reads them in store order, so that one
    /// block is enough (`show`, `export`: as many instructions as before).
    pub fn reader(&self) -> Result<IndexReader, StoreError> {
        self.reader_with(ReloadPolicy::Manual, 1)
    }

    /// A reader for a long-running server: it sees each new commit (by
    /// `insp index` in another process) within a second, without a restart
    /// and without taking the writer's lock.
    pub fn live_reader(&self) -> Result<IndexReader, StoreError> {
        self.reader_with(ReloadPolicy::OnCommitWithDelay, DOCSTORE_CACHE_BLOCKS)
    }

    fn reader_with(&self, policy: ReloadPolicy, cached_blocks: usize) -> Result<IndexReader, StoreError> {
        let reader = |index: &Index| -> Result<IndexReader, StoreError> {
            index
                .reader_builder()
                .reload_policy(policy)
                .doc_store_cache_num_blocks(cached_blocks)
                .try_into()
                .map_err(|e: TantivyError| StoreError::from_storage(&self.dir, &e))
        };
        match reader(&self.index) {
            Err(StoreError::Access(_, Trouble::PermissionDenied | Trouble::ReadOnly)) => {
                reader(&Self::open_read_only(&self.dir)?)
            }
            other => other,
        }
    }

    /// Make the files tantivy wrote owner-only as readable as insp's own
    /// (after a commit and its merges).
    pub(super) fn share(&self) -> Result<(), StoreError> {
        share_like(&self.dir, &self.dir.join(VERSION_FILE))
            .map_err(|e| StoreError::from_storage(&self.dir, &TantivyError::IoError(std::sync::Arc::new(e))))
    }

    /// A writer that merges nothing by itself: `update` merges every
    /// segment into one after its commit. With `one_thread`, one indexing
    /// thread (one segment, nothing to merge); else tantivy's default, a
    /// thread a core.
    pub(super) fn writer(&self, one_thread: bool) -> Result<IndexWriter, StoreError> {
        let opened = if one_thread {
            self.index.writer_with_num_threads(1, WRITER_BYTES)
        } else {
            self.index.writer(WRITER_BYTES)
        };
        let writer: IndexWriter = opened.map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => StoreError::Locked(self.dir.clone()),
            other => StoreError::from_storage(&self.dir, &other),
        })?;
        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        Ok(writer)
    }

    /// A storage error of this index.
    pub(super) fn storage_error(&self, error: &TantivyError) -> StoreError {
        StoreError::from_storage(&self.dir, error)
    }
}

fn read_version(dir: &Path) -> Result<String, String> {
    let bytes = std::fs::read(dir.join(VERSION_FILE)).map_err(|_| format!("it has no {VERSION_FILE}"))?;
    let v: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{VERSION_FILE} is unreadable: {e}"))?;
    v.get("schema_version")
        .and_then(|s| s.as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{VERSION_FILE} has no schema_version"))
}

/// A fresh index built beside the live one (`NAME.insp-new`), swapped in
/// only once it is complete. The live index stays locked meanwhile, so no
/// other run's commit is lost.
pub struct Rebuild {
    /// The live index's directory, absolute.
    pub dir: PathBuf,
    fresh: PathBuf,
    old: PathBuf,
    live_lock: Option<IndexWriter>,
}

impl Rebuild {
    /// Lock the live index in `dir` and make an empty one beside it.
    pub fn begin(dir: &Path) -> anyhow::Result<(Rebuild, Store)> {
        use anyhow::{Context, bail};
        let dir = std::path::absolute(dir).with_context(|| format!("cannot resolve {}", dir.display()))?;
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "index".into());
        let fresh = dir.with_file_name(format!("{name}.insp-new"));
        let old = dir.with_file_name(format!("{name}.insp-old"));
        // An earlier rebuild stopped between its two renames: put the old index back.
        if !dir.exists() && Store::is_insp(&old) {
            std::fs::rename(&old, &dir)
                .with_context(|| format!("cannot restore {} from {}", dir.display(), old.display()))?;
        }
        let non_empty = std::fs::read_dir(&dir).map(|mut d| d.next().is_some()).unwrap_or(false);
        if non_empty && !Store::is_insp(&dir) {
            bail!(
                "{} is not an insp index and not empty; refusing to replace it (choose another --index)",
                dir.display()
            );
        }
        let live_lock = Store::lock(&dir)?;
        let _ = std::fs::remove_dir_all(&fresh);
        let store = Store::create(&fresh)?;
        Ok((Rebuild { dir, fresh, old, live_lock }, store))
    }

    /// Give up: the fresh index is removed, the live one kept.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.fresh);
    }

    /// Put the fresh index (whose `Store` must be dropped) in the live one's place.
    pub fn finish(mut self) -> anyhow::Result<()> {
        use anyhow::Context;
        let (dir, fresh, old) = (&self.dir, &self.fresh, &self.old);
        drop(self.live_lock.take());
        if Store::is_insp(old) {
            std::fs::remove_dir_all(old).with_context(|| format!("cannot remove {}", old.display()))?;
        }
        if dir.exists() {
            std::fs::rename(dir, old).with_context(|| format!("cannot move the old index {} aside", dir.display()))?;
        }
        std::fs::rename(fresh, dir).with_context(|| format!("cannot move the new index into {}", dir.display()))?;
        let _ = std::fs::remove_dir_all(old);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// Storage troubles are known by their kind, wherever tantivy keeps the
    /// `io::Error`; anything else is damage.
    #[test]
    fn storage_errors_are_classified_by_kind() {
        let dir = Path::new("/idx");
        let io = |kind: io::ErrorKind| Arc::new(io::Error::new(kind, "whatever the text says"));
        let access = |e: TantivyError| match StoreError::from_storage(dir, &e) {
            StoreError::Access(_, t) => Some(t),
            _ => None,
        };
        assert_eq!(access(TantivyError::IoError(io(io::ErrorKind::StorageFull))), Some(Trouble::DiskFull));
        let write = OpenWriteError::IoError { io_error: io(io::ErrorKind::ReadOnlyFilesystem), filepath: "f".into() };
        assert_eq!(access(TantivyError::OpenWriteError(write)), Some(Trouble::ReadOnly));
        // A file that may not be read is named.
        let read = OpenReadError::IoError { io_error: io(io::ErrorKind::PermissionDenied), filepath: "f".into() };
        let unreadable = StoreError::from_storage(dir, &TantivyError::OpenReadError(read));
        assert!(matches!(&unreadable, StoreError::Unreadable { file, .. } if file == "f"), "{unreadable}");
        let emfile = Arc::new(io::Error::from_raw_os_error(24));
        assert_eq!(access(TantivyError::IoError(emfile)), Some(Trouble::TooManyOpenFiles));
        assert_eq!(access(TantivyError::ErrorInThread("killed".into())), Some(Trouble::WriterStopped));
        // The words alone mean nothing.
        let text_only = io::Error::other("permission denied: no space left on device");
        assert_eq!(access(TantivyError::IoError(Arc::new(text_only))), None);
        let damaged = StoreError::from_storage(dir, &TantivyError::IoError(io(io::ErrorKind::UnexpectedEof)));
        assert!(matches!(damaged, StoreError::Damaged(..)), "{damaged}");
    }
}
