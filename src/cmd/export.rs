//! `insp export`, `insp completions`, `insp man`.

use super::{Context, Found};
use crate::cli::{Cli, CompletionsArgs, ExportArgs, ExportFormat, ManArgs};
use anyhow::{Context as _, bail};
use clap::CommandFactory;
use insp::search::Searcher;
use std::io::Write;

pub fn run(ctx: &Context, args: ExportArgs) -> anyhow::Result<Found> {
    let mut out = std::io::BufWriter::new(ctx.out(insp::output::Format::Json)?);
    match args.format {
        ExportFormat::Quickwit => {
            serde_json::to_writer_pretty(&mut out, &insp::index::export::quickwit_config())?;
            writeln!(out)?;
        }
        ExportFormat::Opensearch => {
            serde_json::to_writer_pretty(&mut out, &insp::index::export::opensearch_mapping())?;
            writeln!(out)?;
        }
        ExportFormat::Ndjson => {
            let store = ctx.open_for_reading()?;
            let searcher = Searcher::new(&store)?;
            let n = searcher.export(|doc| {
                serde_json::to_writer(&mut out, doc)?;
                writeln!(out)
            })?;
            out.flush()?;
            if n == 0 {
                return Ok(Found::Nothing);
            }
        }
    }
    out.flush()?;
    Ok(Found::Something)
}

/// The completion script clap writes, taught to offer the index's report
/// ids after `insp show` (bash, zsh, fish), from `insp reports`.
pub fn completions(args: CompletionsArgs) -> anyhow::Result<Found> {
    use clap_complete::Shell;
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "insp", &mut script);
    let mut script = String::from_utf8(script)?;
    match args.shell {
        Shell::Bash => script.push_str(BASH_IDS),
        Shell::Fish => script.push_str(FISH_IDS),
        Shell::Zsh => {
            script = script.replace("#compdef insp\n", &format!("#compdef insp\n{ZSH_IDS}"));
            let id_line = "for a report (`insp reports` lists the ids):_default'";
            script = script.replace(id_line, &id_line.replace("_default", "_insp_report_ids"));
        }
        _ => {}
    }
    std::io::stdout().lock().write_all(script.as_bytes())?;
    Ok(Found::Something)
}

const BASH_IDS: &str = concat!(
    "\n# insp show: the report ids in the index.\n",
    "_insp_with_ids() {\n",
    "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n",
    "    if [[ \"${COMP_WORDS[1]}\" == show && \"$cur\" != -* && \"$prev\" != -* ]]; then\n",
    "        COMPREPLY=($(compgen -W \"$(insp reports --format csv --no-pager 2>/dev/null | tail -n +2 | cut -d, -f1)\" -- \"$cur\"))\n",
    "        return 0\n",
    "    fi\n",
    "    _insp \"$@\"\n",
    "}\n",
    "complete -F _insp_with_ids -o bashdefault -o default insp\n",
);

const FISH_IDS: &str = concat!(
    "\n# insp show: the report ids in the index.\n",
    "complete -c insp -n \"__fish_insp_using_subcommand show\" -f -a \"(insp reports --format csv --no-pager 2>/dev/null | tail -n +2 | string split -f1 ,)\"\n",
);

const ZSH_IDS: &str = concat!(
    "\n# insp show: the report ids in the index.\n",
    "_insp_report_ids() {\n",
    "    local -a ids\n",
    "    ids=(${(f)\"$(insp reports --format csv --no-pager 2>/dev/null | tail -n +2 | cut -d, -f1)\"})\n",
    "    _describe 'report id' ids\n",
    "}\n\n",
);

/// insp(1), or one command's insp-COMMAND(1), or every page into a folder.
pub fn man(args: ManArgs) -> anyhow::Result<Found> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        clap_mangen::generate_to(cmd, dir).with_context(|| format!("cannot write the pages into {}", dir.display()))?;
        return Ok(Found::Something);
    }
    // Built, each command is named as its page is (insp-search).
    cmd.build();
    let page = match args.command.as_deref() {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                bail!("no command '{name}'; the pages are insp(1) and insp-COMMAND(1) for {}", names.join(", "))
            }
        },
    };
    clap_mangen::Man::new(page).render(&mut std::io::stdout().lock())?;
    Ok(Found::Something)
}
