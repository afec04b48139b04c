//! Prints each standard-input line's token ids and embedding as JSON, for
//! `eval/embed/check.sh` to compare with a reference. Usage:
//! `embed_check MODEL < lines` (`IDS_ONLY=1`: the ids alone).
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: embed_check MODEL < lines");
        std::process::exit(2);
    };
    let model = match insp_embed::Model::load(std::path::Path::new(&path)) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let ids_only = std::env::var_os("IDS_ONLY").is_some();
    for line in std::io::stdin().lines().map_while(Result::ok) {
        let v = if ids_only { vec![] } else { model.embed(&line) };
        println!("{}", serde_json::json!({"ids": model.token_ids(&line), "v": v}));
    }
}
