//! Any bytes, decoded as insp decodes a text file, then parsed. The parser
//! must not panic, must keep ids unique and must never invent a printed
//! paragraph number that is not in the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = insp::extract::decode(data) else { return };
    let report = insp::report::parse(&text, "fuzz");
    let mut seen = std::collections::HashSet::new();
    for p in &report.paragraphs {
        assert!(seen.insert(p.para), "paragraph number {} given twice", p.para);
        if p.numbered {
            assert!(text.contains(&format!("{}.", p.para)), "paragraph {} is not printed in the text", p.para);
        }
        assert!(!p.text.trim().is_empty(), "empty paragraph {}", p.para);
        if let Some(g) = p.grade {
            assert!((1..=4).contains(&g), "grade {g} out of range");
        }
    }
    let _ = serde_json::to_string(&report);
});
