//! `insp search`: ranks, filters, formats and messages, on the bundled corpus.

use crate::harness::*;
use insp::output::{HitJson, SearchJson, SummaryLine, TotalsJson};

fn search(env: &Env, args: &[&str]) -> SearchJson {
    search_json(env, args)
}

#[test]
fn zero_setup_builds_the_bundled_index_and_answers() {
    let env = Env::new();
    let r = env.ok(&["search", "unallocated cases"], 0);
    assert!(r.stderr.contains("no index of your own yet, so searching the 5 bundled sample reports"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "one line on stderr: {}", r.stderr);
    assert!(r.stdout.contains("wakefield-2011-01-slac#"), "{}", r.stdout);
    assert!(r.stdout.contains("Safeguarding services › Quality of provision"), "{}", r.stdout);
    // Plain when piped: no escape codes.
    assert!(!r.stdout.contains('\x1b'));
    // The second search uses the index it built, silently.
    let again = env.ok(&["search", "unallocated cases"], 0);
    assert!(again.stderr.is_empty(), "{}", again.stderr);
}

#[test]
fn paragraphs_with_every_word_rank_first() {
    let env = Env::new();
    let res = search(&env, &["unallocated cases", "--limit", "20"]);
    // Every paragraph with both words outranks every paragraph with one.
    let both: Vec<bool> = res
        .hits
        .iter()
        .map(|h| {
            let t = h.text.to_lowercase();
            t.contains("unallocated") && t.contains("case")
        })
        .collect();
    let first_partial = both.iter().position(|b| !b).expect("some hits lack a word");
    assert!(first_partial >= 4, "{:?}", ids(&res));
    assert!(both[first_partial..].iter().all(|b| !b), "all-word hits come first: {:?}", ids(&res));
    assert!(res.total > 20, "partial matches are counted too");
    // The exact phrase ranks above the words apart.
    let phrase = res.hits.iter().position(|h| h.text.contains("unallocated cases")).unwrap();
    let apart = res.hits.iter().position(|h| h.id == "wakefield-2011-01-slac#10").unwrap();
    assert!(phrase < apart, "{:?}", ids(&res));
}

#[test]
fn stemming_and_highlights() {
    let env = Env::new();
    let res = search(&env, &["allocate", "--limit", "50"]);
    assert!(res.hits.iter().any(|h| h.text.contains("allocated")));
    for h in &res.hits {
        assert!(!h.highlights.is_empty(), "{} has no highlight", h.id);
        for [a, b] in &h.highlights {
            let word = h.excerpt[*a..*b].to_lowercase();
            assert!(word.starts_with("alloc"), "{} highlights {word:?}", h.id);
        }
        // Excerpts are whole sentences from the paragraph.
        let core = h.excerpt.trim_matches('…');
        assert!(h.text.contains(core), "{}: excerpt not from text", h.id);
    }
}

#[test]
fn acronyms_find_their_expansions_and_back() {
    let env = Env::new();
    let res = search(&env, &["IRO capacity"]);
    let kirklees = res
        .hits
        .iter()
        .find(|h| h.id == "kirklees-2011-11-slac#90")
        .expect("IRO finds 'independent reviewing officers'");
    let marked: Vec<&str> = kirklees.highlights.iter().map(|[a, b]| &kirklees.excerpt[*a..*b]).collect();
    assert!(marked.contains(&"independent reviewing officers"), "{marked:?}");
    assert!(marked.contains(&"capacity"), "{marked:?}");

    let res = search(&env, &["independent reviewing officer", "--limit", "30"]);
    assert!(
        res.hits.iter().any(|h| h.id == "dudley-2012-02-cabinet-report#43"),
        "the expansion finds 'IRO': {:?}",
        ids(&res)
    );

    // A plural acronym is the acronym: "IROs" finds "IROs" and the
    // expansion, as "IRO" does.
    let plural = search(&env, &["IROs", "--limit", "10"]);
    let singular = search(&env, &["IRO", "--limit", "10"]);
    assert_eq!(plural.total, singular.total);
    assert_eq!(plural.words[0].forms, ["IRO = independent reviewing officer"]);
    let marked = |id: &str| -> Vec<String> {
        let h = plural.hits.iter().find(|h| h.id == id).unwrap_or_else(|| panic!("{id} in {:?}", ids(&plural)));
        h.highlights.iter().map(|[a, b]| h.excerpt[*a..*b].to_string()).collect()
    };
    assert!(marked("kirklees-2011-11-slac#129").contains(&"IROs".to_string()));
    assert!(marked("wakefield-2011-01-slac#25").contains(&"independent reviewing officers".to_string()));
}

/// "into", "of", "the" and the like are not required of a first-tier
/// paragraph (they would be, marked `+`), though they count in the phrase.
#[test]
fn function_words_are_not_required() {
    let env = Env::new();
    let plain = search(&env, &["supervision"]);
    let with = search(&env, &["supervision into"]);
    assert_eq!(plain.total_all_words, 24);
    assert_eq!(with.total_all_words, 24, "'into' does not narrow the first tier");
    assert_eq!(ids(&with)[..5], ids(&plain)[..5]);
    let required = search(&env, &["+into supervision"]);
    assert_eq!(required.total_all_words, 2, "+into is required");
    assert!(required.hits.iter().all(|h| h.text.contains(" into ")));
}

/// A word with equivalents from another era (index_schema/equivalents.tsv)
/// also finds them, ranked below the paragraphs that use the word typed;
/// JSON says which forms were searched.
#[test]
fn equivalent_wordings_rank_below_the_words_typed() {
    let env = Env::new();
    let res = search(&env, &["lockdown", "--limit", "50"]);
    let forms = &res.words[0].forms;
    assert!(forms.contains(&"lockdown ~ pandemic".to_string()), "{forms:?}");
    let says = |h: &HitJson| h.text.to_lowercase().contains("lockdown");
    let first_other = res.hits.iter().position(|h| !says(h)).expect("a paragraph that says only 'pandemic' or 'COVID'");
    assert_eq!(first_other, 3, "the three that say lockdown first: {:?}", ids(&res));
    assert!(res.hits[first_other..].iter().all(|h| !says(h)));
    let other = res.hits[first_other].text.to_lowercase();
    assert!(other.contains("pandemic") || other.contains("covid"), "{other}");
    // A quoted phrase gets no equivalents.
    let quoted = search(&env, &["\"lockdown\""]);
    assert!(quoted.hits.iter().all(says));
    assert!(quoted.words[0].forms.is_empty());
}

#[test]
fn quoted_phrases_match_only_together() {
    let env = Env::new();
    let res = search(&env, &["\"unallocated cases\""]);
    assert!(res.total >= 3);
    for h in &res.hits {
        assert!(h.text.to_lowercase().contains("unallocated cases"), "{}", h.id);
        for [a, b] in &h.highlights {
            assert_eq!(h.excerpt[*a..*b].to_lowercase(), "unallocated cases", "{}", h.id);
        }
    }
}

#[test]
fn excluded_and_required_words() {
    let env = Env::new();
    let res = search(&env, &["unallocated -wakefield", "--limit", "50"]);
    assert!(res.hits.iter().all(|h| !h.text.to_lowercase().contains("wakefield")));
    let res = search(&env, &["+MARAC domestic", "--limit", "50"]);
    assert!(!res.hits.is_empty());
    assert!(
        res.hits.iter().all(|h| h.text.contains("MARAC") || h.text.contains("Multi-Agency Risk Assessment Conference"))
    );
}

#[test]
fn every_filter_restricts_without_changing_scores() {
    let env = Env::new();
    let all = search(&env, &["supervision", "--limit", "100"]);
    let check = |args: &[&str], pred: &dyn Fn(&HitJson) -> bool| {
        let mut a = vec!["supervision", "--limit", "100"];
        a.extend_from_slice(args);
        let res = search(&env, &a);
        assert!(!res.hits.is_empty(), "{args:?} found nothing");
        assert!(res.total < all.total, "{args:?} did not restrict");
        for h in &res.hits {
            assert!(pred(h), "{args:?} let through {}", h.id);
            let unfiltered = all.hits.iter().find(|x| x.id == h.id).expect("filtered hit is among unfiltered hits");
            assert_eq!(unfiltered.score, h.score, "{args:?} changed the score of {}", h.id);
        }
    };
    check(&["--authority", "Wakefield Metropolitan District Council"], &|h| {
        h.authority.as_deref() == Some("Wakefield")
    });
    check(&["--authority", "kirklees", "--authority", "dudley"], &|h| {
        matches!(h.authority.as_deref(), Some("Kirklees" | "Dudley"))
    });
    check(&["--grade", "good"], &|h| h.grade == Some(2));
    check(&["--grade", "3"], &|h| h.grade == Some(3));
    check(&["--grade", "requires-improvement"], &|h| h.grade == Some(3));
    check(&["--section", "leadership and management"], &|h| {
        h.section.iter().any(|s| s.to_lowercase() == "leadership and management")
    });
    check(&["--section", "Services for looked after children"], &|h| {
        h.section[0].to_lowercase() == "services for looked after children"
    });
    check(&["--type", "focused_visit"], &|h| h.report_type == "focused_visit");
    check(&["--type", "cabinet-report"], &|h| h.report_type == "cabinet_report");
    check(&["--since", "2011-06"], &|h| h.inspection_start.as_deref().unwrap() >= "2011-06-01");
    check(&["--until", "2011"], &|h| h.inspection_start.as_deref().unwrap() <= "2011-12-31");
    check(&["--since", "2020", "--until", "2020-12-31"], &|h| {
        h.inspection_start.as_deref().unwrap().starts_with("2020")
    });
}

#[test]
fn every_output_format_parses_back() {
    let env = Env::new();
    let json = search(&env, &["thresholds", "--limit", "5"]);
    assert_eq!(json.query, "thresholds");
    assert_eq!(json.hits.len(), 5);
    assert_eq!(json.hits.iter().map(|h| h.rank).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
    let h = &json.hits[0];
    assert!(h.source.starts_with("corpus/"));
    assert!(h.id.starts_with(&format!("{}#", h.report_id)));
    // Unknown values are null, never missing keys.
    let raw: serde_json::Value =
        serde_json::from_str(&env.run(&["search", "thresholds", "--format", "json"]).stdout).unwrap();
    for key in [
        "rank",
        "score",
        "report_id",
        "source",
        "type",
        "authority",
        "inspection_start",
        "inspection_end",
        "published",
        "section",
        "grade",
        "grade_label",
        "para",
        "numbered",
        "text",
        "excerpt",
        "highlights",
    ] {
        assert!(raw["hits"][0].get(key).is_some(), "hit has no {key}");
    }

    let nd = env.ok(&["search", "thresholds", "--limit", "5", "--format", "ndjson"], 0).stdout;
    let (last, hits) = nd.lines().collect::<Vec<_>>().split_last().map(|(l, h)| (*l, h.to_vec())).unwrap();
    let lines: Vec<HitJson> = hits.iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines, json.hits);
    // The last line sums up, as ripgrep's --json does.
    let summary: SummaryLine<TotalsJson> = serde_json::from_str(last).unwrap();
    assert_eq!((summary.summary.total, summary.summary.shown), (json.total, Some(5)));

    let csv = env.ok(&["search", "thresholds", "--limit", "5", "--format", "csv"], 0).stdout;
    let rows = parse_csv(&csv);
    assert_eq!(rows[0][0], "rank");
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[1][2], json.hits[0].id);
    let excerpt_col = rows[0].iter().position(|c| c == "excerpt").unwrap();
    assert_eq!(rows[1][excerpt_col], json.hits[0].excerpt);
}

/// A minimal CSV reader for the test (quoted fields, doubled quotes).
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

#[test]
fn exit_codes_and_messages() {
    let env = Env::new();
    let none = env.ok(&["search", "zzzqqqxx"], 1);
    assert!(none.stdout.contains("no indexed paragraph contains: zzzqqqxx"), "{}", none.stdout);
    let r = env.ok(&["search", "thresholds", "--authority", "Wakefeild"], 2);
    assert_eq!(
        r.stderr.trim(),
        "insp: unknown authority 'Wakefeild'; did you mean 'Wakefield', 'Sheffield' or 'Enfield'?"
    );
    assert!(r.stdout.is_empty());
    let r = env.ok(&["search", "thresholds", "--grade", "excellent"], 2);
    assert!(r.stderr.contains("unknown grade 'excellent'"), "{}", r.stderr);
    let r = env.ok(&["search", "thresholds", "--since", "May 2018"], 2);
    assert!(
        r.stderr.contains("cannot read the date 'May 2018' for --since; use YYYY, YYYY-MM or YYYY-MM-DD"),
        "{}",
        r.stderr
    );
    let r = env.ok(&["search", "thresholds", "--type", "school"], 2);
    assert!(r.stderr.contains("unknown report type 'school'"), "{}", r.stderr);
    let r = env.ok(&["search", "--", "-agency"], 2);
    assert!(r.stderr.contains("only excludes words"), "{}", r.stderr);
    // A filter that excludes everything finds nothing, with exit 1.
    env.ok(&["search", "thresholds", "--authority", "Cornwall"], 1);
}

#[test]
fn negations_are_searchable() {
    let env = Env::new();
    let res = search(&env, &["\"no waiting times\""]);
    assert_eq!(ids(&res), vec!["wakefield-2011-01-slac#37"]);
}

#[test]
fn known_paragraphs_rank_first() {
    let env = Env::new();
    let top = |q: &str, n: usize| -> Vec<String> { ids(&search(&env, &[q, "--limit", &n.to_string()])) };
    assert_eq!(
        top("IRO capacity", 3),
        ["dudley-2012-02-cabinet-report#43", "kirklees-2011-11-slac#90", "kirklees-2011-11-slac#129"]
    );
    assert_eq!(top("unallocated cases", 2), ["wakefield-2011-01-slac#28", "wakefield-2011-01-slac#27"]);
    assert_eq!(top("MASH", 1), ["wakefield-2020-12-focused-visit#5"], "the paragraph that defines the MASH");
    let fostering = search(&env, &["private fostering", "--limit", "3"]);
    for h in &fostering.hits {
        assert!(h.text.to_lowercase().contains("private fostering"), "{}", h.id);
    }
    // The finding that discusses the shortage before the one-line "what
    // needs to improve" item that names it (the length prior).
    assert_eq!(
        top("accommodation for care leavers", 2),
        ["wakefield-2020-12-focused-visit#30", "wakefield-2020-12-focused-visit#7"]
    );
}

#[test]
fn a_typo_gets_a_suggestion_not_silent_noise() {
    let env = Env::new();
    // Searched as typed (--no-correct): nothing has the word; a suggestion.
    let r = env.ok(&["search", "safegarding", "--no-correct"], 1);
    assert!(r.stdout.contains("no indexed paragraph contains: safegarding"), "{}", r.stdout);
    assert!(r.stdout.contains("did you mean 'safeguarding'?"), "{}", r.stdout);
    let res = search(&env, &["safegarding", "capacity", "--no-correct"]);
    assert_eq!(res.showing_results_for, None);
    assert_eq!(res.suggestions.len(), 1);
    assert_eq!(res.suggestions[0].word, "safegarding");
    assert_eq!(res.suggestions[0].did_you_mean[0], "safeguarding");
    // Each hit has the word that exists; none pretends to have the typo.
    assert!(res.hits.iter().all(|h| h.text.to_lowercase().contains("capacity")));
}

/// A word no paragraph has, with a close word that some have: the search
/// is for the close word, and every format says so at the top.
#[test]
fn a_typo_is_searched_as_the_word_it_nearly_is() {
    let env = Env::new();
    let res = search(&env, &["unalocated cases"]);
    assert_eq!(res.query, "unalocated cases", "the query as typed");
    assert_eq!(res.showing_results_for.as_deref(), Some("unallocated cases"));
    assert_eq!(res.hits[0].id, "wakefield-2011-01-slac#28", "the same first hit as the words spelt right");
    assert!(res.hits[..2].iter().all(|h| h.text.contains("unallocated cases")));
    let text = env.ok(&["search", "unalocated cases", "-n", "1"], 0).stdout;
    assert!(
        text.starts_with(
            "showing results for \"unallocated cases\" (no paragraph has 'unalocated'); --no-correct searches the words as typed\n"
        ),
        "{text}"
    );
    let typed = search(&env, &["unalocated cases", "--no-correct"]);
    assert_eq!(typed.showing_results_for, None);
    let typed_text = env.ok(&["search", "unalocated cases", "--no-correct", "-n", "1"], 0).stdout;
    assert!(typed_text.contains("; 0 contain every word"), "as typed, no paragraph has both: {typed_text}");
    assert!(text.contains("; 5 contain every word"), "spelt right, five have both: {text}");
    // CSV rows have no place for it: stderr says so.
    let csv = env.ok(&["search", "unalocated cases", "--format", "csv"], 0);
    assert!(csv.stderr.contains("showing results for \"unallocated cases\""), "{}", csv.stderr);
}

/// A word in most paragraphs ("children", in 78% of the samples') does not
/// decide which paragraphs rank first: the best paragraph on caseloads
/// never says "children", and comes first; `+children` asks for it.
#[test]
fn a_common_word_is_scored_but_not_required() {
    let env = Env::new();
    let res = search(&env, &["children caseloads"]);
    let first = &res.hits[0];
    assert_eq!(first.id, "wolverhampton-2011-07-slac#56");
    assert_eq!(first.para, 56);
    assert_eq!(first.section, ["Safeguarding services", "Leadership and management"]);
    assert!(first.text.contains("Some caseloads for individual social workers and some teams are too high."));
    assert!(!first.text.to_lowercase().contains("children"), "the point of the test: {}", first.text);
    let words: Vec<(&str, bool)> = res.words.iter().map(|w| (w.word.as_str(), w.common)).collect();
    assert_eq!(words, [("children", true), ("caseloads", false)]);
    assert_eq!(
        res.notes,
        ["\"children\" is in 78% of paragraphs, so the first hits need not have it (+children requires it)"]
    );
    let text = env.ok(&["search", "children caseloads", "-n", "1"], 0).stdout;
    assert!(text.contains("; 14 contain every word but \"children\";"), "{text}");
    assert!(text.contains("note: \"children\" is in 78% of paragraphs"), "{text}");

    // Required: the paragraph without "children" is not in the first tier.
    let strict = search(&env, &["+children caseloads", "-n", "20"]);
    assert_eq!(strict.total_all_words, 10);
    assert!(strict.notes.is_empty());
    let pos = strict.hits.iter().position(|h| h.id == "wolverhampton-2011-07-slac#56");
    assert!(pos.is_none_or(|p| p >= 10), "{pos:?}");
    // A query of common words alone keeps them all required.
    let all_common = search(&env, &["children care"]);
    assert!(all_common.notes.is_empty() && all_common.words.iter().all(|w| !w.common));
}

#[test]
fn explain_says_why() {
    let env = Env::new();
    let res = search(&env, &["IRO capacity", "--explain", "-n", "3"]);
    let top = &res.hits[0];
    let e = top.explain.as_ref().expect("--explain attaches an explanation");
    assert_eq!(e.tier, "all words");
    assert!(e.matched.iter().any(|m| m.starts_with("IRO (as IRO")), "{:?}", e.matched);
    assert!(
        (e.score["value"].as_f64().unwrap() - f64::from(top.score)).abs() < 0.01,
        "the explained score is the score"
    );
    let text = serde_json::to_string(&e.score).unwrap();
    assert!(text.contains("idf") && text.contains("Boost"), "BM25 parts and the phrase boost are shown");
    let kirklees = res.hits.iter().find(|h| h.id == "kirklees-2011-11-slac#90").unwrap();
    let m = &kirklees.explain.as_ref().unwrap().matched;
    assert!(m.iter().any(|m| m.contains("as independent reviewing officers")), "the expansion used: {m:?}");
    // Without the flag, no explanation key.
    let raw = env.ok(&["search", "IRO capacity", "--format", "json"], 0).stdout;
    assert!(!raw.contains("\"explain\""));
    let text = env.ok(&["search", "IRO capacity", "--explain", "-n", "1"], 0).stdout;
    assert!(text.contains("why: score") && text.contains("matched: IRO"), "{text}");
}

#[test]
fn per_report_spreads_hits_over_reports() {
    let env = Env::new();
    let all = search(&env, &["care leavers", "-n", "10"]);
    let mut reports: Vec<&str> = all.hits.iter().map(|h| h.report_id.as_str()).collect();
    reports.dedup();
    let spread = search(&env, &["care leavers", "-n", "10", "--per-report", "1"]);
    let ids: Vec<&str> = spread.hits.iter().map(|h| h.report_id.as_str()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "one hit per report: {ids:?}");
    assert_eq!(ids.len(), 5, "all five reports mention care leavers");
    let two = search(&env, &["care leavers", "-n", "10", "--per-report", "2"]);
    assert_eq!(two.hits.len(), 10);
    for r in &unique {
        assert!(two.hits.iter().filter(|h| h.report_id == *r).count() <= 2);
    }
    env.ok(&["search", "care leavers", "--per-report", "0"], 2);
}

/// A paragraph that shares only "of" with the query is not a partial match:
/// every hit holds a word that carries meaning, and the total counts the
/// same paragraphs as the hits are drawn from.
#[test]
fn function_words_alone_do_not_make_a_partial_match() {
    let env = Env::new();
    let res = search(&env, &["quality of assessments", "--limit", "500"]);
    assert!(res.hits.len() > 20, "{}", res.hits.len());
    for h in &res.hits {
        let t = h.text.to_lowercase();
        assert!(t.contains("quality") || t.contains("assess"), "{} matches only 'of': {}", h.id, h.text);
    }
    assert_eq!(res.total, res.hits.len(), "the total counts exactly the matching paragraphs");
    // A query of function words alone still finds them.
    let only = search(&env, &["of the", "--limit", "3"]);
    assert_eq!(only.hits.len(), 3);
}

/// The total is the same whether the first tier fills the page (partial
/// matches then only counted) or not (partial matches ranked too).
#[test]
fn totals_do_not_depend_on_the_limit() {
    let env = Env::new();
    // "Ofsted inspection" and "inspection judgements" are in boilerplate
    // paragraphs too, which the default leaves out of the count as well.
    for q in ["inspection judgements", "Ofsted inspection"] {
        assert!(search(&env, &[q, "--kind", "boilerplate"]).total > 5, "{q}");
    }
    let queries = [
        "children of the local authority",
        "quality of assessments",
        "IRO capacity",
        "care -leavers plans",
        "inspection judgements",
        "Ofsted inspection",
    ];
    for q in queries {
        let few = search(&env, &[q, "--limit", "1"]);
        let many = search(&env, &[q, "--limit", "2000"]);
        assert_eq!(few.total, many.total, "{q}");
        assert_eq!(many.total, many.hits.len(), "{q}");
        assert_eq!(few.hits[0].id, many.hits[0].id, "{q}");
    }
}

/// The ranking on the dev reports (one index for several checks).
#[test]
fn ranking_on_real_reports() {
    let Some(dev) = reports_dev() else { return };
    let env = Env::new();
    env.ok(&["index", dev.to_str().unwrap()], 0);
    the_top_ten_does_not_depend_on_the_limit(&env);
    words_typed_for_an_acronym_keep_their_own_matches(&env);
    per_report_pages_are_full(&env);
    a_hyphenated_word_counts_once_among_partial_matches(&env);
}

/// Among partial matches each word typed counts once: "multi-agency" (two
/// tokens, a phrase) does not outweigh "training" by matching twice, so the
/// SIF paragraphs about training, without "multi-agency", lead the partial
/// tier (they were ranked below 140 before).
fn a_hyphenated_word_counts_once_among_partial_matches(env: &Env) {
    let res = search(env, &["multi-agency training", "--type", "sif", "-n", "100"]);
    let partial = &res.hits[res.total_all_words..];
    assert!(partial.len() >= 10, "{} first-tier hits", res.total_all_words);
    for h in &partial[..10] {
        let t = h.text.to_lowercase();
        assert!(t.contains("training") && !t.contains("multi"), "{}: {}", h.id, h.text);
    }
}

/// One hit per report fills its page in either order, and pages follow on
/// (all of a report's paragraphs share a date, so the newest hundreds are
/// a few reports: the window widens until the page is full).
fn per_report_pages_are_full(env: &Env) {
    for sort in ["score", "date"] {
        let page = |n: &str, offset: &str| {
            search(env, &["care", "--per-report", "1", "--sort", sort, "-n", n, "--offset", offset])
        };
        let first = page("10", "0");
        let second = page("10", "10");
        let both = page("20", "0");
        assert_eq!((first.hits.len(), second.hits.len()), (10, 10), "--sort {sort}");
        let reports: std::collections::HashSet<&str> = both.hits.iter().map(|h| h.report_id.as_str()).collect();
        assert_eq!(reports.len(), 20, "--sort {sort}: one hit per report");
        let paged: Vec<String> = ids(&first).into_iter().chain(ids(&second)).collect();
        assert_eq!(paged, ids(&both), "--sort {sort}: two pages are the first twenty");
        assert_eq!(second.hits[0].rank, 11);
    }
}

/// "return home interviews" spells RHI's expansion: it also finds "RHI",
/// and still finds the words apart ("offered a return interview" after
/// going missing from home) and a partial tier, as any three words would.
fn words_typed_for_an_acronym_keep_their_own_matches(env: &Env) {
    let res = search(env, &["return home interviews", "--limit", "100"]);
    let rhi = search(env, &["RHI", "--limit", "100"]);
    assert!(res.total_all_words > rhi.total, "{} > {}", res.total_all_words, rhi.total);
    assert!(res.total > res.total_all_words, "a partial tier");
    let lower = |h: &HitJson| h.text.to_lowercase();
    let first = lower(&res.hits[0]);
    assert!(first.contains("return home interview") || res.hits[0].text.contains("RHI"), "{first}");
    assert!(
        res.hits[..20]
            .iter()
            .any(|h| lower(h).contains("return interview") && !lower(h).contains("return home interview")),
        "the words apart in the top 20: {:?}",
        ids(&res)
    );
    // "children missing education" (CME) also finds "missing from education".
    let cme = search(env, &["children missing education", "--limit", "100"]);
    assert!(cme.hits.iter().any(|h| lower(h).contains("missing from education")), "{:?}", ids(&cme));
}

/// A page of hits does not change with the page size: the first ten are
/// the same whether 10, 37, 100 or 500 are asked for. On the dev reports,
/// where a one-word query matches hundreds of paragraphs ("since" gave
/// five different first hits for --limit 5 and --limit 100).
fn the_top_ten_does_not_depend_on_the_limit(env: &Env) {
    for q in ["since", "care leavers", "supervision", "unallocated cases", "IRO capacity", "plans"] {
        let top = |n: &str| ids(&search(env, &[q, "--limit", n])).into_iter().take(10).collect::<Vec<_>>();
        let ten = top("10");
        assert_eq!(ten.len(), 10, "{q}");
        for n in ["37", "100", "500"] {
            assert_eq!(top(n), ten, "{q}: the first ten with --limit {n}");
        }
    }
}

/// Scripts in Python or JavaScript slice strings by character: beside the
/// byte offsets, every hit gives its highlights in characters and the text
/// they cover, and slicing the excerpt by characters gives that text also
/// where a curly apostrophe (three bytes) comes first.
#[test]
fn highlights_slice_the_excerpt_by_characters() {
    let env = Env::new();
    let pdf =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf/bristol-2023-03-10-inspection.pdf");
    env.ok(&["index", pdf.to_str().unwrap()], 0);
    let res = search(&env, &["social care", "-n", "10"]);
    let mut differs = false;
    for h in &res.hits {
        assert_eq!(h.highlight_chars.len(), h.highlighted.len(), "{}", h.id);
        for ([a, b], text) in h.highlight_chars.iter().zip(&h.highlighted) {
            let sliced: String = h.excerpt.chars().skip(*a).take(b - a).collect();
            assert_eq!(&sliced, text, "{}", h.id);
            assert!(text.eq_ignore_ascii_case("social") || text.eq_ignore_ascii_case("care"), "{text}");
        }
        differs |= h.highlight_chars != h.highlights;
    }
    assert!(differs, "some excerpt has a character of several bytes before a highlight");
}
