//! The web pages: server-rendered HTML that works without JavaScript. Every
//! text from a report or a request goes through [`esc`] (or, in a URL,
//! through the query-string serializer and then [`esc`]).

use super::ApiError;
use super::Call;
use super::api::{SEARCH_PARAMS, run_search, run_trend};
use super::params::Params;
use crate::output::browse::{ShowParagraphJson, ShowReportJson};
use crate::output::{HitJson, section_label};
use crate::report::{Paragraph, ReportInfo};
use crate::search::facets::{Bucket, Facet};
use crate::search::{Mode, SearchResults, Sort};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

pub const CSS: &str = include_str!("assets/style.css");
pub const JS: &str = include_str!("assets/app.js");

/// Text as HTML, safe in element content and in quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link to `path` with `pairs` as its query string, escaped for an attribute.
fn href(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return esc(path);
    }
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    esc(&format!("{path}?{}", s.finish()))
}

/// An id as one path segment (`#` as `%23`).
fn seg(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

/// The state of the page: the request's pairs but the page's position
/// (`offset`) and the token (kept in a cookie).
fn state(p: &Params) -> Vec<(String, String)> {
    p.pairs.iter().filter(|(k, _)| k != "offset" && k != "token").cloned().collect()
}

fn with(state: &[(String, String)], add: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out = state.to_vec();
    out.extend(add.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    out
}

fn without(state: &[(String, String)], drop: &[(&str, &str)]) -> Vec<(String, String)> {
    state.iter().filter(|(k, v)| !drop.iter().any(|(dk, dv)| dk == k && dv == v)).cloned().collect()
}

const HINTS: &str = "words, \"a phrase\", +required, -excluded, AND, OR; acronyms match their expansions (IRO, LADO)";

/// A whole page: the search box on top, `body` below.
fn page(title: &str, q: &str, hidden: &[(String, String)], body: &str) -> Response {
    let hidden: String = hidden
        .iter()
        .filter(|(k, _)| k != "q")
        .map(|(k, v)| format!(r#"<input type="hidden" name="{}" value="{}">"#, esc(k), esc(v)))
        .collect();
    let html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="/static/style.css"><script src="/static/app.js" defer></script></head>
<body><header class="top"><a class="brand" href="/">insp</a>
<form class="search" action="/" method="get" role="search">{hidden}<input id="q" name="q" type="search" value="{q}" maxlength="{max}" placeholder="Search inspection reports" aria-label="Query" autofocus>
<button type="submit">Search</button><a class="browse" href="/reports">Reports</a></form>
<p class="hints">{hints}</p></header>
{body}
<footer class="foot">insp {version} · the same answers as <code>insp search</code> · <a href="/api/stats">/api/</a></footer></body></html>"#,
        title = esc(title),
        q = esc(q),
        max = super::params::MAX_QUERY,
        hints = esc(HINTS),
        version = env!("CARGO_PKG_VERSION"),
    );
    html_response(StatusCode::OK, html)
}

fn html_response(status: StatusCode, html: String) -> Response {
    let csp = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; \
               base-uri 'none'; frame-ancestors 'none'";
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "same-origin"),
        ],
        html,
    )
        .into_response()
}

pub fn error_page(status: StatusCode, message: &str) -> Response {
    let mut res = page(
        &format!("{} · insp", status.canonical_reason().unwrap_or("Error")),
        "",
        &[],
        &format!(r#"<main class="solo"><h1>{}</h1><p class="error">{}</p></main>"#, status.as_u16(), esc(message)),
    );
    *res.status_mut() = status;
    res
}

/// A grade as a coloured badge.
fn badge(grade: Option<u8>, label: Option<&str>) -> String {
    match grade {
        Some(g) => format!(r#"<span class="grade g{g}">{}</span>"#, esc(label.unwrap_or(&g.to_string()))),
        None => String::new(),
    }
}

/// `text` with the byte spans `highlights` in `<mark>`.
fn marked(text: &str, highlights: &[[usize; 2]]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for &[a, b] in highlights {
        let (a, b) = (a.max(last), b.min(text.len()));
        if a >= b || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        out.push_str(&esc(&text[last..a]));
        out.push_str(&format!("<mark>{}</mark>", esc(&text[a..b])));
        last = b;
    }
    out.push_str(&esc(&text[last..]));
    out
}

fn report_line(r: &ReportInfo) -> String {
    let date = r.date().unwrap_or("undated");
    format!(
        r#"<a href="/show/{}">{}</a> · {} · {}"#,
        seg(&r.report_id),
        esc(r.authority.as_deref().unwrap_or("unknown authority")),
        esc(r.report_type.describe()),
        esc(date)
    )
}

fn hit_html(h: &HitJson, report: &ReportInfo) -> String {
    let page = match h.page_start {
        Some(n) => format!(r#" · <a class="pdf" href="/pdf/{}#page={n}">PDF page {n}</a>"#, seg(&h.report_id)),
        None => String::new(),
    };
    format!(
        r#"<article class="hit"><div class="meta"><span class="rank">{rank}.</span> {report}{badge}</div>
<div class="section">{section}</div><p class="excerpt">{excerpt}</p>
<div class="links"><a class="context" href="/show/{id}">¶ {para} in context</a>{page}</div></article>"#,
        rank = h.rank,
        report = report_line(report),
        badge = badge(h.grade, h.grade_label.as_deref()),
        section = esc(&section_label(&h.section)),
        excerpt = marked(&h.excerpt, &h.highlights),
        id = seg(&h.id),
        para = h.para,
    )
}

/// A facet's bucket as the filter pairs it stands for (none for "none").
fn bucket_filter(facet: Facet, value: &str) -> Vec<(&'static str, String)> {
    if value == "none" || value == "unknown" {
        return Vec::new();
    }
    match facet {
        Facet::Authority => vec![("authority", value.to_string())],
        Facet::Type => vec![("type", value.to_string())],
        Facet::Section => vec![("section", value.to_string())],
        Facet::Grade => vec![("grade", value.chars().take_while(char::is_ascii_digit).collect())],
        Facet::Overall => vec![("overall", value.chars().take_while(char::is_ascii_digit).collect())],
        Facet::Region => vec![("region", value.to_string())],
        Facet::Kind => vec![("kind", value.to_string())],
        Facet::Year => vec![("since", value.to_string()), ("until", value.to_string())],
    }
}

fn facet_title(f: Facet) -> &'static str {
    match f {
        Facet::Authority => "Authority",
        Facet::Grade => "Section grade",
        Facet::Section => "Section",
        Facet::Year => "Year",
        Facet::Type => "Report type",
        Facet::Region => "Region",
        Facet::Overall => "Overall effectiveness",
        Facet::Kind => "Paragraph kind",
    }
}

/// How many buckets a facet shows before "more".
const SHOWN: usize = 8;

fn facet_html(facet: Facet, buckets: &[Bucket], state: &[(String, String)]) -> String {
    let mut items = Vec::new();
    for b in buckets {
        let pairs = bucket_filter(facet, &b.value);
        let as_ref: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let on = !pairs.is_empty() && as_ref.iter().all(|(k, v)| state.iter().any(|(sk, sv)| sk == k && sv == v));
        let label = esc(&b.value);
        let item = if pairs.is_empty() {
            format!(r#"<li><span class="label">{label}</span> <span class="count">{}</span></li>"#, b.count)
        } else if on {
            let link = href("/", &without(state, &as_ref));
            format!(
                r#"<li class="on"><a href="{link}" title="remove this filter">✓ {label}</a> <span class="count">{}</span></li>"#,
                b.count
            )
        } else {
            let link = href("/", &with(state, &as_ref));
            format!(r#"<li><a href="{link}">{label}</a> <span class="count">{}</span></li>"#, b.count)
        };
        items.push(item);
    }
    let (shown, rest) = items.split_at(items.len().min(SHOWN));
    let more = if rest.is_empty() {
        String::new()
    } else {
        format!(r#"<details><summary>{} more</summary><ul>{}</ul></details>"#, rest.len(), rest.concat())
    };
    format!(
        r#"<section class="facet" data-facet="{}"><h3>{}</h3><ul>{}</ul>{more}</section>"#,
        facet.as_str(),
        facet_title(facet),
        shown.concat()
    )
}

/// The filters in force, each a chip that removes it.
fn chips(p: &Params) -> String {
    let names = super::params::filter_names();
    let state = state(p);
    let chips: Vec<String> = state
        .iter()
        .filter(|(k, _)| names.contains(k))
        .map(|(k, v)| {
            let link = href("/", &without(&state, &[(k.as_str(), v.as_str())]));
            format!(r#"<a class="chip" href="{link}" title="remove">{}: {} ✕</a>"#, esc(k), esc(v))
        })
        .collect();
    if chips.is_empty() { String::new() } else { format!(r#"<div class="chips">{}</div>"#, chips.concat()) }
}

fn sidebar(s: &Call, p: &Params, q: &str) -> Result<String, ApiError> {
    let counts = s.facets(Some(q).filter(|q| !q.is_empty()), &p.filters()?, &Facet::ALL)?;
    let state = state(p);
    let what = if q.is_empty() { "paragraphs" } else { "paragraphs with every word" };
    let mut out = format!(r#"<aside class="facets"><p class="total">{} {what}</p>"#, counts.total);
    for (facet, buckets) in counts.facets.iter().filter(|(_, b)| !b.is_empty()) {
        out.push_str(&facet_html(*facet, buckets, &state));
    }
    out.push_str("</aside>");
    Ok(out)
}

/// "Showing results for" and "did you mean".
fn corrections(res: &SearchResults, state: &[(String, String)]) -> String {
    let mut out = String::new();
    if let Some(c) = &res.corrected {
        let link = href("/", &with(state, &[("no-correct", "1")]));
        out.push_str(&format!(
            r#"<p class="note">Showing results for <b>{}</b>; <a href="{link}">search instead for {}</a></p>"#,
            esc(c),
            esc(&res.query)
        ));
    }
    for s in crate::output::suggestions(res) {
        let words: Vec<String> = s
            .did_you_mean
            .iter()
            .map(|w| {
                let q = crate::search::replace_word(&res.query, &s.word, w);
                let pairs: Vec<(String, String)> = state
                    .iter()
                    .map(|(k, v)| if k == "q" { (k.clone(), q.clone()) } else { (k.clone(), v.clone()) })
                    .collect();
                format!(r#"<a href="{}">{}</a>"#, href("/", &pairs), esc(w))
            })
            .collect();
        if !words.is_empty() {
            out.push_str(&format!(
                r#"<p class="note">No paragraph has “{}”. Did you mean {}?</p>"#,
                esc(&s.word),
                words.join(", ")
            ));
        }
    }
    out
}

fn pager(res: &SearchResults, p: &Params, state: &[(String, String)]) -> Result<String, ApiError> {
    let (offset, limit) = (p.offset()?, p.limit()?);
    let mut links = Vec::new();
    if offset > 0 {
        let prev = offset.saturating_sub(limit).to_string();
        links.push(format!(r#"<a rel="prev" href="{}">← Previous</a>"#, href("/", &with(state, &[("offset", &prev)]))));
    }
    let shown = offset + res.hits.len();
    if shown < res.total.min(super::params::MAX_OFFSET) {
        let next = shown.to_string();
        links.push(format!(r#"<a rel="next" href="{}">Next →</a>"#, href("/", &with(state, &[("offset", &next)]))));
    }
    Ok(format!(r#"<nav class="pager">{}</nav>"#, links.join(" ")))
}

/// The order of hits, and a link to the other (`sort`, as `--sort`).
fn sort_switch(p: &Params, state: &[(String, String)]) -> Result<String, ApiError> {
    let by_date = p.choice::<Sort>("sort")? == Some(Sort::Date);
    let rest: Vec<(String, String)> = state.iter().filter(|(k, _)| k != "sort").cloned().collect();
    let (now, other, link) = if by_date {
        ("newest first", "by relevance", href("/", &rest))
    } else {
        ("by relevance", "newest first", href("/", &with(&rest, &[("sort", "date")])))
    };
    Ok(format!(r#"<p class="sort">Sorted {now} · <a href="{link}">{other}</a></p>"#))
}

/// Where the index has paragraph vectors: which ranking, and links to the
/// others (the words; words and meaning; meaning alone).
fn mode_switch(s: &Call, p: &Params, state: &[(String, String)]) -> Result<String, ApiError> {
    if s.model.is_none() || p.choice::<Sort>("sort")? == Some(Sort::Date) {
        return Ok(String::new());
    }
    let now = p.choice::<Mode>("mode")?.unwrap_or(Mode::Hybrid);
    let rest: Vec<(String, String)> = state.iter().filter(|(k, _)| k != "mode" && k != "offset").cloned().collect();
    let name = |m: Mode| match m {
        Mode::Lexical => "by the words",
        Mode::Hybrid => "by the words and their meaning",
        Mode::Semantic => "by meaning alone",
    };
    let others: Vec<String> = [Mode::Hybrid, Mode::Lexical, Mode::Semantic]
        .into_iter()
        .filter(|m| *m != now)
        .map(|m| format!(r#"<a href="{}">{}</a>"#, href("/", &with(&rest, &[("mode", m.as_str())])), name(m)))
        .collect();
    Ok(format!(r#"<p class="sort">Ranked {} · {}</p>"#, name(now), others.join(" · ")))
}

fn results(s: &Call, p: &Params) -> Result<String, ApiError> {
    let res = run_search(s, p)?;
    let state = state(p);
    let offset = p.offset()?;
    let mut out = corrections(&res, &state);
    out.push_str(&format!(
        r#"<p class="summary">{} paragraphs match, {} with every word{}</p>"#,
        res.total,
        res.total_all_words,
        if res.hits.is_empty() {
            String::new()
        } else {
            format!("; {}–{} shown", offset + 1, offset + res.hits.len())
        }
    ));
    out.push_str(&sort_switch(p, &state)?);
    out.push_str(&mode_switch(s, p, &state)?);
    for h in &res.hits {
        out.push_str(&hit_html(&HitJson::of(h), &h.report));
    }
    out.push_str(&pager(&res, p, &state)?);
    // The chart counts reports with a paragraph that has every word.
    if res.total_all_words > 0 {
        // Of the words searched: the corrected query when a typo was fixed.
        let searched = res.corrected.as_deref().unwrap_or(&res.query);
        let trend: Vec<(String, String)> = state
            .iter()
            .filter(|(k, _)| !SEARCH_PARAMS.contains(&k.as_str()) || k == "q")
            .map(|(k, v)| if k == "q" { (k.clone(), searched.to_string()) } else { (k.clone(), v.clone()) })
            .collect();
        out.push_str(&format!(
            r#"<section class="trend"><h2>Reports that mention it, by year</h2><img src="{}" alt="The share of each year's reports with a paragraph that has every word of the query"><p><a href="{}">the numbers (JSON)</a></p></section>"#,
            href("/trend.svg", &trend),
            href("/api/trend", &trend)
        ));
    }
    Ok(out)
}

/// The search page's own parameters: the API's but `context` (the page
/// shows hits; their neighbours are a click away).
const PAGE_PARAMS: [&str; 7] = ["q", "limit", "offset", "sort", "per-report", "no-correct", "mode"];

pub fn search_page(s: &Call, p: &Params, _: &str) -> Result<Response, ApiError> {
    p.check_known(&PAGE_PARAMS)?;
    let q = p.query()?.unwrap_or_default();
    let main = if q.is_empty() {
        let stats = s.stats()?;
        format!(
            r#"<p class="summary">{} reports, {} paragraphs. Type a query above, or narrow by a facet.</p>"#,
            stats.reports, stats.paragraphs
        )
    } else {
        results(s, p)?
    };
    let body = format!(
        r#"<div class="layout">{side}<main class="results">{chips}{main}</main></div>"#,
        side = sidebar(s, p, &q)?,
        chips = chips(p),
    );
    let title = if q.is_empty() { "insp".to_string() } else { format!("{q} · insp") };
    Ok(page(&title, &q, &state(p), &body))
}

fn judgements_html(r: &ReportInfo) -> String {
    if r.judgements.is_empty() {
        return r#"<p class="note">No graded judgements.</p>"#.to_string();
    }
    let rows: String = r
        .judgements
        .iter()
        .map(|j| {
            format!(
                r#"<tr><td title="{}">{}</td><td>{}</td></tr>"#,
                esc(&section_label(&j.section)),
                esc(&j.judgement),
                badge(Some(j.grade), Some(&j.grade_label))
            )
        })
        .collect();
    format!(
        r#"<table class="judgements"><thead><tr><th>Judgement</th><th>Grade</th></tr></thead><tbody>{rows}</tbody></table>"#
    )
}

fn outline_html(report_id: &str, paragraphs: &[Paragraph], current: Option<u32>) -> String {
    let rows: String = crate::output::browse::outline(paragraphs)
        .iter()
        .map(|s| {
            let here = current.is_some_and(|n| (s.first_para..=s.last_para).contains(&n));
            format!(
                r#"<li{}><a href="/show/{}">{}</a> {} <span class="count">¶ {}–{}</span></li>"#,
                if here { r#" class="on""# } else { "" },
                seg(&format!("{report_id}#{}", s.first_para)),
                esc(&section_label(&s.section)),
                badge(s.grade, s.grade_label.as_deref()),
                s.first_para,
                s.last_para
            )
        })
        .collect();
    format!(r#"<ol class="outline">{rows}</ol>"#)
}

fn paragraph_html(report_id: &str, p: &Paragraph, current: bool) -> String {
    let page =
        p.page_start.map(|n| format!(r#" · <a class="pdf" href="/pdf/{}#page={n}">PDF page {n}</a>"#, seg(report_id)));
    format!(
        r#"<div class="para{}" id="p{n}"><div class="meta"><a href="/show/{id}">¶ {n}</a> · {section}{badge}{page}</div><p>{text}</p></div>"#,
        if current { " current" } else { "" },
        n = p.para,
        id = seg(&format!("{report_id}#{}", p.para)),
        section = esc(&section_label(&p.section)),
        badge = badge(p.grade, p.grade_label.as_deref()),
        page = page.unwrap_or_default(),
        text = esc(&p.text),
    )
}

fn report_side(r: &ReportInfo, paragraphs: &[Paragraph], current: Option<u32>) -> String {
    format!(
        r#"<aside class="report-side"><h2>Judgements</h2>{}<h2>Outline</h2>{}</aside>"#,
        judgements_html(r),
        outline_html(&r.report_id, paragraphs, current)
    )
}

fn report_head(r: &ReportInfo, paragraphs: &[Paragraph]) -> String {
    let pdf = if paragraphs.iter().any(|p| p.page_start.is_some()) {
        format!(r#" · <a class="pdf" href="/pdf/{}#page=1">PDF</a>"#, seg(&r.report_id))
    } else {
        String::new()
    };
    let dates = [("inspected", &r.inspection_start), ("to", &r.inspection_end), ("published", &r.published)]
        .iter()
        .filter_map(|(w, d)| d.as_ref().map(|d| format!("{w} {}", esc(d))))
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        r#"<div class="report-head"><h1>{}</h1><p>{} · {} · {} paragraphs{pdf}</p><p class="source">{}</p></div>"#,
        esc(r.title.as_deref().unwrap_or(&r.report_id)),
        report_line(r),
        dates,
        r.n_paragraphs,
        esc(&r.source)
    )
}

/// How many paragraphs the context page shows on either side.
const CONTEXT: usize = 3;

pub fn show_page(s: &Call, p: &Params, id: &str) -> Result<Response, ApiError> {
    p.check_known(&["context"])?;
    let context = p.number("context", CONTEXT, 0, super::api::MAX_CONTEXT)?;
    let found = s.lookup(id)?;
    let r = &found.report;
    let (title, main, current) = match ShowParagraphJson::of(id, &found, context) {
        Some(show) => {
            let mut main = format!(r#"<p class="cite">{}</p>"#, esc(&show.cite));
            for b in &show.before {
                main.push_str(&paragraph_html(&r.report_id, b, false));
            }
            main.push_str(&paragraph_html(&r.report_id, &show.paragraph, true));
            for a in &show.after {
                main.push_str(&paragraph_html(&r.report_id, a, false));
            }
            main.push_str(&format!(r#"<p><a href="/show/{}">The whole report</a></p>"#, seg(&r.report_id)));
            (format!("{id} · insp"), main, Some(show.paragraph.para))
        }
        None => {
            let show = ShowReportJson::of(&found);
            let main: String = found.paragraphs.iter().map(|p| paragraph_html(&r.report_id, p, false)).collect();
            (format!("{} · insp", show.report.report_id), main, None)
        }
    };
    let body = format!(
        r#"<div class="layout report"><main class="results">{head}<a class="back" href="/">← Back</a>{main}</main>{side}</div>"#,
        side = report_side(r, &found.paragraphs, current),
        head = report_head(r, &found.paragraphs),
    );
    Ok(page(&title, "", &[], &body))
}

pub fn reports_page(s: &Call, p: &Params, _: &str) -> Result<Response, ApiError> {
    p.check_known(&["latest"])?;
    let reports = s.reports(&p.filters()?, p.flag("latest")?)?;
    let rows: String = reports
        .iter()
        .map(|r| {
            let overall = r.judgements.iter().find(|j| j.key == "overall");
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                report_line(r),
                esc(r.region.as_deref().unwrap_or("")),
                overall.map(|j| badge(Some(j.grade), Some(&j.grade_label))).unwrap_or_default(),
                r.n_paragraphs
            )
        })
        .collect();
    let body = format!(
        r#"<main class="solo"><h1>{} reports</h1>{}<table class="reports"><thead><tr><th>Report</th><th>Region</th><th>Overall</th><th>Paragraphs</th></tr></thead><tbody>{rows}</tbody></table></main>"#,
        reports.len(),
        chips(p)
    );
    Ok(page("Reports · insp", "", &[], &body))
}

/// The trend panel's chart: `trend`'s SVG (an image: no script runs in it).
pub fn trend_svg(s: &Call, p: &Params, _: &str) -> Result<Response, ApiError> {
    p.check_known(&["q", "by", "per"])?;
    let trend = run_trend(s, p)?;
    let svg = crate::output::plot::svg(&trend).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'"),
        ],
        svg,
    )
        .into_response())
}
