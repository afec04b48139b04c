//! An index that may belong to someone else: read without writing a byte,
//! and files written as readable as the umask allows.
//!
//! tantivy takes its meta lock (a file it opens for writing) even to open a
//! reader, and writes `meta.json` and `.managed.json` owner-only. A reader
//! that cannot write the lock falls back to [`ReadOnlyDirectory`], whose
//! locks are no-ops: nothing can be written through it, so nothing is lost
//! (the lock only keeps a writer's clean-up from deleting files a reader is
//! opening, and a writer in the same directory could write the lock).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// tantivy's files that it writes owner-only (`atomic_write` goes through
/// a temporary file): given the mode of insp's own files after each commit.
const OWNER_ONLY: [&str; 2] = ["meta.json", MANAGED];
/// tantivy's list of the files it manages.
const MANAGED: &str = ".managed.json";

/// Give tantivy's owner-only files in `dir` the permissions of `like` (a
/// file insp wrote, so as readable as the user's umask allows).
pub fn share_like(dir: &Path, like: &Path) -> io::Result<()> {
    let permissions = std::fs::metadata(like)?.permissions();
    for name in OWNER_ONLY {
        let path = dir.join(name);
        if path.exists() {
            std::fs::set_permissions(&path, permissions.clone())?;
        }
    }
    Ok(())
}

/// A directory opened for reading only.
#[derive(Clone, Debug)]
pub struct ReadOnlyDirectory(MmapDirectory);

impl ReadOnlyDirectory {
    pub fn open(dir: &Path) -> tantivy::Result<ReadOnlyDirectory> {
        Ok(ReadOnlyDirectory(MmapDirectory::open(dir)?))
    }
}

fn read_only(path: &Path) -> io::Error {
    io::Error::new(io::ErrorKind::ReadOnlyFilesystem, format!("{} is opened read-only", path.display()))
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError { io_error: Arc::new(read_only(path)), filepath: path.to_path_buf() })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError { io_error: Arc::new(read_only(path)), filepath: path.to_path_buf() })
    }

    /// The list of files tantivy manages serves only its clean-up after a
    /// write: an index whose list is unreadable (older insp wrote it
    /// owner-only) is read as if it had none.
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        match self.0.atomic_read(path) {
            Err(OpenReadError::IoError { io_error, .. })
                if path == Path::new(MANAGED) && io_error.kind() == io::ErrorKind::PermissionDenied =>
            {
                Err(OpenReadError::FileDoesNotExist(PathBuf::from(path)))
            }
            other => other,
        }
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// No lock file: nothing is written through this directory.
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
}
