//! The `insp` binary: parse the command line, run the command, print any
//! error once, exit with grep's codes (0 found, 1 nothing found, 2 error).

mod cli;
mod cmd;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_dependency_panics();
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(found) => found.into(),
        Err(err) => {
            // A closed pipe (`insp search … | head`) is not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let mut msg = format!("insp: {err}");
            for cause in err.chain().skip(1) {
                msg.push_str(&format!(": {cause}"));
            }
            eprintln!("{msg}");
            ExitCode::from(2)
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
