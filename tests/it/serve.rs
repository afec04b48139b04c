//! `insp serve`: the JSON API against the CLI's own JSON, the pages'
//! escaping, bad parameters, the PDF route's refusals, the token, and a
//! commit by `insp index` seen without a restart. Each test starts the
//! binary on a free port and talks HTTP to it over loopback.

use crate::harness::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A running `insp serve` (killed when dropped).
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`, from the URL the server printed.
    addr: String,
}

struct Resp {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Resp {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

impl Server {
    fn start(env: &Env, args: &[&str]) -> Server {
        let mut cmd = env.cmd();
        cmd.args(["serve", "--addr", "127.0.0.1:0"]).args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("insp serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(60)).expect("insp serve prints its URL");
        let url = line.trim().strip_prefix("insp serve: ").unwrap_or_else(|| panic!("no URL in {line:?}"));
        let addr = url.trim_end_matches('/').trim_start_matches("http://").to_string();
        Server { child, addr }
    }

    /// GET `path` exactly as written (no normalising), with extra header lines.
    fn get_with(&self, path: &str, headers: &[&str]) -> Resp {
        let mut s = TcpStream::connect(&self.addr).expect("connects");
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
        // The server's own address as Host, unless a header names another.
        let host = if headers.iter().any(|h| h.to_ascii_lowercase().starts_with("host:")) {
            String::new()
        } else {
            format!("Host: {}\r\n", self.addr)
        };
        write!(s, "GET {path} HTTP/1.0\r\n{host}{extra}\r\n").unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("a response");
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).expect("a status");
        Resp { status, head, body: raw[split + 4..].to_vec() }
    }

    fn get(&self, path: &str) -> Resp {
        self.get_with(path, &[])
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `insp ARGS --format json` as a JSON value.
fn cli_json(env: &Env, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    env.json(&all)
}

#[test]
fn the_api_answers_as_the_command_line_does() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let pairs: [(&str, &[&str]); 6] = [
        (
            "/api/search?q=unallocated+cases&authority=Wakefield&limit=3",
            &["search", "unallocated cases", "--authority", "Wakefield", "--limit", "3"],
        ),
        (
            "/api/search?q=leadership&offset=5&limit=5&type=slac",
            &["search", "leadership", "--offset", "5", "-n", "5", "--type", "slac"],
        ),
        (
            "/api/facets?q=child+protection&by=year&by=type",
            &["facets", "child protection", "--by", "year", "--by", "type"],
        ),
        ("/api/reports?grade=outstanding", &["reports", "--grade", "outstanding"]),
        ("/api/show/wakefield-2011-01-slac%2324?context=1", &["show", "wakefield-2011-01-slac#24", "-C", "1"]),
        ("/api/trend?q=adoption&since=2011", &["trend", "adoption", "--since", "2011"]),
    ];
    for (path, args) in pairs {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(r.header("content-type").as_deref(), Some("application/json"), "{path}");
        assert_eq!(r.json(), cli_json(&env, args), "{path} differs from insp {args:?}");
    }
    // The page of hits after the first: ranks go on counting.
    let page2 = server.get("/api/search?q=leadership&offset=5&limit=5&type=slac").json();
    assert_eq!(page2["hits"][0]["rank"], 6);
}

#[test]
fn bad_parameters_get_a_400_that_names_them() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let long = "a".repeat(1001);
    let cases: Vec<(String, &str)> = vec![
        ("/api/search?q=x&grade=9".into(), "grade=9: unknown grade '9'"),
        ("/api/search?q=x&limit=0".into(), "limit=0: give a whole number from 1 to 100"),
        ("/api/search?q=x&limit=101".into(), "limit=101"),
        ("/api/search?q=x&offset=99999999999999999999999".into(), "offset="),
        (format!("/api/search?q={long}"), "q is 1001 characters long; the most is 1000"),
        ("/api/search?q=x&colour=red".into(), "unknown parameter 'colour'"),
        ("/api/search?authority=Wakefield".into(), "q is missing"),
        ("/api/search?q=x&since=2011&since=2012".into(), "'since' was given more than once"),
        ("/api/search?q=x&authority=Narnia".into(), "authority=Narnia: unknown authority 'Narnia'"),
        ("/api/search?q=x&sort=random".into(), "sort=random: use one of score, date"),
        ("/api/facets?by=colour".into(), "by=colour: use one of authority, grade, section, year, type"),
        ("/api/trend?q=%2B%2B".into(), "q=++: the query has no words"),
        ("/api/show/wakefield-2011-01-slac%23x".into(), "is not a paragraph id"),
        ("/api/search?q=x&until=2011-02-30".into(), "until=2011-02-30: cannot read the date"),
        ("/api/search?q=x&no-correct=banana".into(), "no-correct=banana: give 1 or 0 (true or false)"),
        ("/api/reports?latest=maybe".into(), "latest=maybe: give 1 or 0"),
        ("/?q=x&context=3".into(), "unknown parameter 'context'"),
        (format!("/api/search?q=x{}", "&authority=Wakefield".repeat(65)), "66 parameters: give at most 64"),
    ];
    for (path, expect) in cases {
        let r = server.get(&path);
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        if path.starts_with("/?") {
            assert!(r.text().contains(&expect.replace('\'', "&#39;")), "{path}: {}", r.text());
            continue;
        }
        let error = r.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains(expect), "{path}: {error:?} does not say {expect:?}");
    }
    let r = server.get("/api/show/nowhere-2011-01-slac");
    assert_eq!(
        (r.status, r.json()["error"].as_str().unwrap()),
        (404, "no report 'nowhere-2011-01-slac' in the index; `insp reports` lists them")
    );
    let r = server.get("/api/show/wakefield-2011-01-slac%239999");
    assert_eq!(r.status, 404, "{}", r.text());
    // A page gets the message as a page, with the same status.
    let r = server.get("/?q=x&grade=9");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("grade=9: unknown grade &#39;9&#39;"), "{}", r.text());
}

#[test]
fn pages_escape_the_query_and_the_reports_text() {
    let env = Env::new();
    env.write(
        "mine/note.md",
        "# Case notes\n\n1. The team wrote <script>alert(1)</script> into a case note & kept \"quotes\".\n\n2. Leaders review unallocated cases weekly.\n",
    );
    let index = env.path("idx");
    let index = index.to_str().unwrap();
    env.ok(&["--index", index, "index", env.path("mine/note.md").to_str().unwrap()], 0);
    let server = Server::start(&env, &["--index", index]);

    let r = server.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+note");
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(!html.contains("<script>alert"), "a script got through:\n{html}");
    assert!(html.contains(r#"value="&lt;script&gt;alert(1)&lt;/script&gt; note""#), "the query is shown escaped");
    assert!(
        html.contains("&lt;<mark>script&gt;alert(1)&lt;/script</mark>&gt; into a case <mark>note</mark> &amp; kept"),
        "the report's text is escaped, highlights kept:\n{html}"
    );
    assert!(r.header("content-security-policy").unwrap().contains("script-src 'self'"));

    let id = server.get("/api/search?q=script").json()["hits"][0]["id"].as_str().unwrap().to_string();
    let show = server.get(&format!("/show/{}", id.replace('#', "%23"))).text();
    assert!(show.contains("&lt;script&gt;alert(1)&lt;/script&gt; into a case note &amp; kept &quot;quotes&quot;."));
    assert!(!show.contains("<script>alert"));
    // The same text in the API is JSON, not HTML.
    assert!(server.get(&format!("/api/show/{}", id.replace('#', "%23"))).text().contains("<script>alert(1)</script>"));
}

#[test]
fn the_search_page_has_results_facets_pages_and_a_trend() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let html = server.get("/?q=unallocated+cases&limit=2").text();
    // Ranked hits with highlights, their report, section, grade and links.
    assert!(
        html.contains(r#"<span class="rank">1.</span> <a href="/show/wakefield-2011-01-slac">Wakefield</a>"#),
        "{html}"
    );
    assert!(html.contains("<mark>unallocated</mark>"));
    assert!(html.contains(r#"href="/show/wakefield-2011-01-slac%2328">¶ 28 in context</a>"#), "{html}");
    // Facets filter on click, and a filter in force can be removed.
    assert!(
        html.contains(r#"<a href="/?q=unallocated+cases&amp;limit=2&amp;authority=Wakefield">Wakefield</a>"#),
        "{html}"
    );
    assert!(html.contains(r#"<a rel="next" href="/?q=unallocated+cases&amp;limit=2&amp;offset=2">"#), "{html}");
    assert!(html.contains(r#"<img src="/trend.svg?q=unallocated+cases""#), "{html}");
    assert!(
        html.contains(
            r#"Sorted by relevance · <a href="/?q=unallocated+cases&amp;limit=2&amp;sort=date">newest first</a>"#
        ),
        "{html}"
    );
    // The page's hits are the command's, in its order.
    let by_date = server.get("/?q=unallocated+cases&limit=5&sort=date").text();
    let shown: Vec<String> = by_date
        .split(r#"<a class="context" href="/show/"#)
        .skip(1)
        .map(|s| s.split('"').next().unwrap().replace("%23", "#"))
        .collect();
    assert_eq!(shown, ids(&search_json(&env, &["unallocated cases", "--sort", "date", "-n", "5"])));
    let filtered = server.get("/?q=unallocated+cases&limit=2&authority=Kirklees").text();
    assert!(
        filtered.contains(
            r#"class="chip" href="/?q=unallocated+cases&amp;limit=2" title="remove">authority: Kirklees ✕</a>"#
        ),
        "{filtered}"
    );
    assert!(!filtered.contains(r#"<a href="/show/wakefield-2011-01-slac">"#));
    let svg = server.get("/trend.svg?q=unallocated+cases");
    assert_eq!((svg.status, svg.header("content-type").as_deref()), (200, Some("image/svg+xml")));
    assert!(svg.text().contains("<svg"));
    // A typo is corrected and said so; the report page has its judgements.
    let typo = server.get("/?q=unalocated").text();
    assert!(typo.contains("Showing results for <b>unallocated</b>"), "{typo}");
    // The chart counts the words searched, not the typo.
    assert!(typo.contains(r#"<img src="/trend.svg?q=unallocated""#), "{typo}");
    // "Did you mean" replaces the whole word only.
    let two = server.get("/?q=plan+pla&no-correct=1").text();
    assert!(two.contains(r#"<a href="/?q=plan+plan&amp;no-correct=1">plan</a>"#), "{two}");
    let as_typed = server.get("/?q=unalocated&no-correct=1").text();
    assert!(
        as_typed.contains(
            r#"No paragraph has “unalocated”. Did you mean <a href="/?q=unallocated&amp;no-correct=1">unallocated</a>"#
        ),
        "{as_typed}"
    );
    let reports = server.get("/reports?region=West+Midlands").text();
    assert!(
        reports.contains("<h1>2 reports</h1>")
            && reports.contains(">Dudley</a>")
            && reports.contains(">Wolverhampton</a>"),
        "{reports}"
    );
    let report = server.get("/show/kirklees-2011-11-slac").text();
    assert!(report.contains("<th>Judgement</th>") && report.contains(r#"class="grade g1">outstanding</span>"#));
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf").join(name)
}

#[test]
fn the_pdf_route_serves_only_indexed_files_by_report_id() {
    let env = Env::new();
    let pdf = fixture("barnsley-2023-03-01-focused-visit.pdf");
    std::fs::create_dir_all(env.path("docs")).unwrap();
    std::fs::copy(&pdf, env.path("docs/real.pdf")).unwrap();
    std::os::unix::fs::symlink(env.path("docs/real.pdf"), env.path("docs/link.pdf")).unwrap();
    env.write("notes/secret.md", "# Secret\n\n1. A note that is not a PDF.\n");
    let index = env.path("idx");
    let index = index.to_str().unwrap();
    env.ok(
        &[
            "--index",
            index,
            "index",
            env.path("docs/link.pdf").to_str().unwrap(),
            env.path("notes/secret.md").to_str().unwrap(),
        ],
        0,
    );
    let server = Server::start(&env, &["--index", index]);

    let hit = server.get("/api/search?q=allocated&limit=1").json();
    let page = hit["hits"][0]["page_start"].as_u64().expect("a page");
    let html = server.get("/?q=allocated&limit=1").text();
    let link = format!(r#"href="/pdf/barnsley-2023-03-focused-visit#page={page}">PDF page {page}</a>"#);
    assert!(html.contains(&link), "{link} not in\n{html}");
    let r = server.get("/pdf/barnsley-2023-03-focused-visit");
    assert_eq!((r.status, r.header("content-type").as_deref()), (200, Some("application/pdf")));
    assert_eq!(r.body, std::fs::read(&pdf).unwrap());

    for path in [
        "/pdf/../../../etc/passwd",
        "/pdf/..%2F..%2F..%2Fetc%2Fpasswd",
        "/pdf/%2Fetc%2Fpasswd",
        "/pdf//etc/passwd",
        "/pdf/barnsley-2023-03-focused-visit%2F..%2F..%2Fetc%2Fpasswd",
        "/pdf/nobody-2020-01-slac",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}: {}", r.text());
        assert!(!r.text().contains("root:"), "{path}");
    }
    let secret = server.get("/api/reports").json()["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"].as_str().unwrap().ends_with("secret.md"))
        .map(|r| r["report_id"].as_str().unwrap().to_string())
        .unwrap();
    let r = server.get(&format!("/pdf/{secret}"));
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].as_str().unwrap().contains("is text, not a PDF"));

    // The index recorded where the symlink led; that file, replaced by a
    // symlink to another file, is refused: its bytes are not the ones indexed.
    let source = hit["hits"][0]["source"].as_str().unwrap().to_string();
    assert!(source.ends_with("real.pdf"), "{source}");
    std::fs::remove_file(&source).unwrap();
    std::os::unix::fs::symlink(env.path("notes/secret.md"), &source).unwrap();
    let r = server.get("/pdf/barnsley-2023-03-focused-visit");
    assert_eq!(r.status, 404, "{}", r.text());
    assert!(r.json()["error"].as_str().unwrap().contains("is not the file that was indexed"));
}

#[test]
fn a_token_guards_every_request_and_other_addresses_need_one() {
    let env = Env::new();
    let r = env.ok(&["serve", "--addr", "0.0.0.0:0"], 2);
    assert!(
        r.stderr.contains("0.0.0.0:0 can be reached from other machines: give a token (--token or INSP_TOKEN)"),
        "{}",
        r.stderr
    );
    let r = env.ok(&["serve", "--token", " "], 2);
    assert!(r.stderr.contains("the token is empty"), "{}", r.stderr);

    let server = Server::start(&env, &["--token", "s3cret-t0ken"]);
    for path in ["/", "/api/search?q=adoption", "/pdf/wakefield-2011-01-slac", "/static/style.css"] {
        let r = server.get(path);
        assert_eq!(r.status, 401, "{path}");
        assert!(r.json()["error"].as_str().unwrap().contains("Authorization: Bearer TOKEN"));
    }
    assert_eq!(server.get_with("/api/search?q=adoption", &["Authorization: Bearer wrong"]).status, 401);
    assert_eq!(server.get_with("/api/search?q=adoption", &["Authorization: Bearer s3cret-t0ken"]).status, 200);
    assert_eq!(server.get_with("/api/search?q=adoption", &["Authorization: bearer s3cret-t0ken"]).status, 200);
    let first = server.get("/?q=adoption&token=s3cret-t0ken");
    assert_eq!(first.status, 200);
    let cookie = first.header("set-cookie").unwrap();
    assert!(cookie.starts_with("insp_token=s3cret-t0ken;") && cookie.contains("HttpOnly"), "{cookie}");
    assert!(!first.text().contains("s3cret"), "the token is not written into the page's links");
    assert_eq!(server.get_with("/?q=adoption", &["Cookie: insp_token=s3cret-t0ken"]).status, 200);
}

/// Where the index has paragraph vectors, the page and `/api/search` rank
/// as `insp search` does (hybrid unless `mode` says otherwise), with the
/// model loaded once when the server starts.
#[test]
fn the_web_page_searches_by_meaning_where_the_index_has_vectors() {
    let Some(model) = model() else { return };
    let env = Env::new();
    let fv = corpus(WAKEFIELD_FV);
    env.ok(&["index", "--index", "ix", "--model", model.to_str().unwrap(), fv.to_str().unwrap()], 0);
    let server = Server::start(&env, &["--index", "ix"]);
    let api = server.get("/api/search?q=homeschooling+surge&no-correct=1&limit=3");
    assert_eq!(api.status, 200, "{}", api.text());
    let cli =
        env.ok(&["search", "--index", "ix", "--no-correct", "-n", "3", "--format", "json", "homeschooling surge"], 0);
    let cli: Value = serde_json::from_str(&cli.stdout).unwrap();
    assert_eq!(api.json(), cli, "the API answers as the command does");
    assert_eq!(api.json()["hits"][0]["id"], "wakefield-2020-12-focused-visit#20");
    let lexical = server.get("/api/search?q=homeschooling+surge&no-correct=1&mode=lexical").json();
    assert_eq!(lexical["hits"].as_array().map(Vec::len), Some(0), "no paragraph has the words");
    let page = server.get("/?q=homeschooling+surge&no-correct=1").text();
    assert!(page.contains("Ranked by the words and their meaning"), "{page}");
    let first = page.split("<article").nth(1).unwrap_or_default();
    assert!(first.contains("educate children at home"), "the paragraph found by meaning comes first: {first}");
    let dated = server.get("/api/search?q=homeschooling&mode=hybrid&sort=date");
    assert_eq!(dated.status, 400);
    // An index without vectors: the mode is refused, naming what to do.
    let plain = Server::start(&env, &[]);
    let r = plain.get("/api/search?q=adoption&mode=semantic");
    assert_eq!(r.status, 400);
    let error = r.json()["error"].as_str().unwrap().to_string();
    assert!(
        error.starts_with(
            "mode=semantic: this index has no paragraph vectors; build them with `insp index --model PATH`"
        ),
        "{error}"
    );
}

/// A page on another site cannot read a loopback server through a name it
/// controls (DNS rebinding): with no token, only loopback names are served.
#[test]
fn a_loopback_server_answers_only_to_loopback_names() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    for host in ["localhost", "127.0.0.1:7700", "LOCALHOST:1", "[::1]:7700"] {
        let r = server.get_with("/api/reports", &[&format!("Host: {host}")]);
        assert_eq!(r.status, 200, "{host}: {}", r.text());
    }
    let r = server.get_with("/api/reports", &["Host: attacker.example:7700"]);
    assert_eq!(r.status, 421);
    let error = r.json()["error"].as_str().unwrap().to_string();
    assert!(error.starts_with("this server answers requests to localhost or 127.0.0.1 only"), "{error}");
    assert!(server.get_with("/", &["Host: 127.0.0.1.attacker.example"]).status == 421);
}

/// The facets asked for, each once, in the order first asked.
#[test]
fn a_facet_asked_twice_is_counted_once() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let j = server.get("/api/facets?by=year&by=authority&by=year").json();
    let facets = j["facets"].as_object().expect("facets by name");
    let years = facets["year"].as_array().unwrap();
    assert!(!years.is_empty(), "{j}");
    let cli: serde_json::Value = serde_json::from_str(
        &env.ok(&["facets", "--by", "year", "--by", "authority", "--by", "year", "--format", "json"], 0).stdout,
    )
    .unwrap();
    assert_eq!(cli["facets"]["year"], facets["year"]);
}

#[test]
fn a_commit_by_insp_index_is_seen_without_a_restart() {
    let env = Env::new();
    let index = env.path("idx");
    let index = index.to_str().unwrap();
    env.ok(&["--index", index, "index", corpus(WAKEFIELD_SLAC).to_str().unwrap()], 0);
    let mut server = Server::start(&env, &["--index", index]);
    assert_eq!(server.get("/api/reports").json()["reports"].as_array().unwrap().len(), 1);
    // The searches of one commit remember the paragraphs a filter keeps;
    // a new commit must not be searched with what the old one remembered.
    let kirklees = "/api/search?q=children&authority=Kirklees&limit=3";
    assert_eq!(server.get(kirklees).json()["total"], 0);
    // The server holds no lock: the writer goes ahead while it serves.
    env.ok(&["--index", index, "index", corpus(KIRKLEES).to_str().unwrap()], 0);
    let start = Instant::now();
    loop {
        let n = server.get("/api/reports").json()["reports"].as_array().unwrap().len();
        if n == 2 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "the new report was not seen within 10 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    let found = server.get(kirklees).json();
    assert!(found["total"].as_u64().unwrap() > 10, "{found}");
    assert_eq!(found["hits"][0]["authority"], "Kirklees", "{found}");
    // Ctrl-C stops it cleanly.
    let pid = server.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut err = String::new();
    server.child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.contains("insp: stopped"), "{err}");
}

/// On real reports (`../shared/reports-dev`): two frameworks' PDFs indexed
/// by absolute path; a search's PDF links open the file the index holds.
#[test]
fn real_reports_are_served_with_their_pdfs() {
    let Some(dev) = reports_dev() else { return };
    let env = Env::new();
    let index = env.path("idx");
    let index = index.to_str().unwrap();
    let files: Vec<std::path::PathBuf> = ["bristol-2023-03-10-inspection.pdf", "barnet-2021-08-02-focused-visit.pdf"]
        .iter()
        .map(|f| dev.join(f).canonicalize().unwrap())
        .collect();
    let mut args = vec!["--index", index, "index"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    env.ok(&args, 0);
    let server = Server::start(&env, &["--index", index]);
    let res = server.get("/api/search?q=care+leavers&type=ilacs&limit=3").json();
    assert_eq!(res, cli_json(&env, &["--index", index, "search", "care leavers", "--type", "ilacs", "-n", "3"]));
    let hit = &res["hits"][0];
    let (report_id, page) = (hit["report_id"].as_str().unwrap(), hit["page_start"].as_u64().unwrap());
    let html = server.get("/?q=care+leavers&type=ilacs&limit=3").text();
    assert!(html.contains(&format!(r#"href="/pdf/{report_id}#page={page}">PDF page {page}</a>"#)), "{html}");
    let pdf = server.get(&format!("/pdf/{report_id}"));
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.body, std::fs::read(hit["source"].as_str().unwrap()).unwrap());
    let report = server.get(&format!("/show/{report_id}")).text();
    assert!(
        report.contains("<th>Judgement</th>") && report.contains(r#"class="grade g"#),
        "the report page has its judgements"
    );
}
