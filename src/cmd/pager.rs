//! Standard output, through a pager on a terminal as bat and git do:
//! `$INSP_PAGER`, else `$PAGER`, else `less -FRX` (quit if one screen, keep
//! colours, leave the text on screen). Never when piped or with `--no-pager`.

use std::io::{self, IsTerminal, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// The pager to run, as program and arguments, or none. `tty`: standard
/// output is a terminal. An empty value or `cat` means no pager.
pub fn choose(tty: bool, no_pager: bool, insp_pager: Option<&str>, pager: Option<&str>) -> Option<Vec<String>> {
    if !tty || no_pager {
        return None;
    }
    let words: Vec<String> = insp_pager.or(pager).unwrap_or("less -FRX").split_whitespace().map(String::from).collect();
    match words.first().map(String::as_str) {
        None | Some("cat") => None,
        Some(_) => Some(words),
    }
}

/// The program is `less`, named or by its path (`PAGER=/usr/bin/less`).
fn is_less(program: &str) -> bool {
    std::path::Path::new(program).file_name().is_some_and(|n| n == "less")
}

/// Where a command writes its results: straight to standard output, or to
/// a pager that is waited for when this is dropped.
pub enum Out {
    Direct(io::Stdout),
    Pager { child: Child, stdin: Option<ChildStdin> },
}

impl Out {
    pub fn new(no_pager: bool) -> Out {
        let env = |k: &str| std::env::var(k).ok();
        let (insp_pager, pager) = (env("INSP_PAGER"), env("PAGER"));
        let Some(words) = choose(io::stdout().is_terminal(), no_pager, insp_pager.as_deref(), pager.as_deref()) else {
            return Out::Direct(io::stdout());
        };
        let mut cmd = Command::new(&words[0]);
        cmd.args(&words[1..]).stdin(Stdio::piped());
        if is_less(&words[0]) && std::env::var_os("LESS").is_none() {
            // A bare `less` from $PAGER: colours kept, one screen printed as is.
            cmd.env("LESS", "FRX");
        }
        match cmd.spawn() {
            Ok(mut child) => {
                let stdin = child.stdin.take();
                Out::Pager { child, stdin }
            }
            // No such pager: print as if there were none.
            Err(_) => Out::Direct(io::stdout()),
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Out::Direct(s) => s.write(buf),
            Out::Pager { stdin: Some(s), .. } => s.write(buf),
            Out::Pager { stdin: None, .. } => Err(io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Out::Direct(s) => s.flush(),
            Out::Pager { stdin: Some(s), .. } => s.flush(),
            Out::Pager { stdin: None, .. } => Ok(()),
        }
    }
}

impl Drop for Out {
    /// The pager reads to the end of its input and the user quits it
    /// before insp exits (or the shell's prompt would land inside it).
    fn drop(&mut self) {
        match self {
            Out::Direct(s) => {
                let _ = s.flush();
            }
            Out::Pager { child, stdin } => {
                drop(stdin.take());
                let _ = child.wait();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{choose, is_less};

    #[test]
    fn a_pager_only_on_a_terminal_and_as_configured() {
        let less = Some(vec!["less".to_string(), "-FRX".to_string()]);
        assert_eq!(choose(true, false, None, None), less);
        assert_eq!(choose(false, false, None, None), None, "piped: never");
        assert_eq!(choose(true, true, None, None), None, "--no-pager");
        assert_eq!(choose(true, false, None, Some("most -s")), Some(vec!["most".into(), "-s".into()]));
        assert_eq!(choose(true, false, Some("bat -p"), Some("most")), Some(vec!["bat".into(), "-p".into()]));
        assert_eq!(choose(true, false, Some(""), Some("most")), None, "INSP_PAGER='' turns it off");
        assert_eq!(choose(true, false, None, Some("cat")), None);
    }

    /// `less` by its path gets the colours kept too (LESS=FRX when unset).
    #[test]
    fn less_by_name_or_path() {
        assert!(is_less("less") && is_less("/usr/bin/less"));
        assert!(!is_less("lesspipe") && !is_less("most") && !is_less("/opt/less/bin/more"));
    }
}
