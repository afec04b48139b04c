//! The `insp` binary: parse the command line, run the command, print any
//! error once, exit with grep's codes (0 found, 1 nothing found, 2 error).
//!
//! A one-off `insp search` is a process of a few milliseconds, so on Linux
//! (glibc) `insp` starts as a C program does (`no_main`): Rust's own
//! start-up would first read `/proc/self/maps` to find the main thread's
//! stack (for its stack-overflow message), 21 of a search's 180 system
//! calls (benches/README.md). What else that start-up does is done here:
//! standard input, output and error opened on `/dev/null` if they are
//! closed (so that no file insp opens, an index's, takes their place),
//! SIGPIPE ignored (a closed pipe is an error to handle, not a signal that
//! kills), a panic's exit code 101, standard output flushed on the way out
//! (`process::exit`). Arguments are read as usual: on Linux, std takes them
//! from the C start-up code. Elsewhere, and in the unit tests' build, Rust
//! starts it as usual. What is lost: a stack overflow in the main thread is
//! a plain SIGSEGV, without Rust's message.
#![cfg_attr(all(not(test), target_os = "linux", target_env = "gnu"), no_main)]

mod cli;
mod cmd;

use clap::Parser;

#[cfg(all(not(test), target_os = "linux", target_env = "gnu"))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: std::ffi::c_int, _argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    standard_fds_open();
    // SAFETY: setting a signal's disposition to "ignore" before any thread
    // is started, as Rust's own start-up does.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    // A panic may not unwind into C: caught here, after the hook printed it.
    let code = std::panic::catch_unwind(run).unwrap_or(101);
    std::process::exit(code)
}

#[cfg(not(all(not(test), target_os = "linux", target_env = "gnu")))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(run() as u8)
}

/// Descriptors 0, 1 and 2 opened on `/dev/null` where they are closed, as
/// Rust's start-up does: else the next file opened would take the number,
/// and what insp prints would be written into it.
#[cfg(all(not(test), target_os = "linux", target_env = "gnu"))]
fn standard_fds_open() {
    for fd in 0..=2 {
        // SAFETY: fcntl(F_GETFD) only asks whether the descriptor is open;
        // open(2) is given a NUL-terminated path. Nothing else runs yet.
        unsafe {
            if libc::fcntl(fd, libc::F_GETFD) == -1
                && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF)
                && libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) == -1
            {
                libc::abort();
            }
        }
    }
}

fn run() -> i32 {
    quiet_dependency_panics();
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(found) => found.code(),
        Err(err) => {
            // A closed pipe (`insp search … | head`) is not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return 0;
            }
            let mut msg = format!("insp: {err}");
            for cause in err.chain().skip(1) {
                msg.push_str(&format!(": {cause}"));
            }
            eprintln!("{msg}");
            2
        }
    }
}

/// A panic inside the PDF reader is caught and reported per file by the
/// indexer; its default message on stderr would only add noise. Panics
/// anywhere else still print as usual.
fn quiet_dependency_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_pdf_reader = info.location().is_some_and(|l| {
            let f = l.file();
            f.contains("pdf-extract") || f.contains("lopdf") || f.contains("pdf_extract")
        });
        if !in_pdf_reader {
            default(info);
        }
    }));
}
