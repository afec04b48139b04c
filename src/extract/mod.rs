//! Files to text. Text and markdown are decoded (UTF-8, else Windows-1252);
//! what is not a report (empty, binary, an HTML page saved under another
//! name) is refused with a reason a person can act on.

use std::path::Path;

/// The file kinds insp reads, by extension.
pub const EXTENSIONS: [&str; 6] = ["txt", "md", "markdown", "pdf", "ndjson", "jsonl"];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("empty file")]
    Empty,
    #[error("binary data, not text (is it a report?)")]
    Binary,
    #[error("an HTML page, not a report (a failed download?)")]
    Html,
    #[error("no text in it")]
    NoText,
    #[error("PDF: {0}")]
    Pdf(String),
}

pub fn is_supported(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Whether a file is named as a PDF (`.pdf`, any case).
pub fn is_pdf(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// The text of a file's bytes. `path` chooses the format by extension only.
pub fn text_of(path: &Path, bytes: &[u8]) -> Result<String, ExtractError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty);
    }
    if looks_like_html(bytes) {
        return Err(ExtractError::Html);
    }
    if is_pdf(path) || bytes.starts_with(b"%PDF-") {
        return pdf_text(bytes);
    }
    let text = decode(bytes)?;
    if !text.chars().any(char::is_alphabetic) {
        return Err(ExtractError::NoText);
    }
    Ok(text)
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> =
        bytes.iter().skip_while(|b| b.is_ascii_whitespace()).take(64).map(|b| b.to_ascii_lowercase()).collect();
    let head = head.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(&head);
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html") || head.starts_with(b"<head")
}

/// UTF-8 (a BOM is dropped), else Windows-1252, which covers Latin-1.
pub fn decode(bytes: &[u8]) -> Result<String, ExtractError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(bytes);
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample.iter().filter(|&&b| b == 0 || (b < 0x09) || (0x0e..0x1b).contains(&b)).count();
    if sample.contains(&0) || controls * 100 > sample.len().max(1) {
        return Err(ExtractError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => Ok(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// The text of a PDF, page by page, pages separated by form feeds so that
/// the parser can find running headers. A panic inside the PDF library is
/// caught and reported as an error for this file alone.
fn pdf_text(bytes: &[u8]) -> Result<String, ExtractError> {
    if !bytes.starts_with(b"%PDF-") && !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(ExtractError::Pdf("not a PDF (no %PDF- header); is it another kind of file renamed?".into()));
    }
    let result = std::panic::catch_unwind(|| pdf_pages(bytes));
    let (pages, failed) = match result {
        Ok(r) => r?,
        Err(_) => return Err(ExtractError::Pdf("the PDF reader failed on this file (damaged or unusual PDF)".into())),
    };
    let text = pages.join("\u{c}");
    if !text.chars().any(char::is_alphabetic) {
        return Err(ExtractError::Pdf(if failed > 0 {
            format!(
                "damaged PDF: {failed} of its {} pages could not be read and the others hold no text",
                failed + pages.len()
            )
        } else {
            "no text layer (a scanned PDF? run OCR on it first)".to_string()
        }));
    }
    Ok(text)
}

/// The text of each readable page, and how many pages could not be read.
fn pdf_pages(bytes: &[u8]) -> Result<(Vec<String>, usize), ExtractError> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| ExtractError::Pdf(pdf_error(&e.to_string())))?;
    if doc.is_encrypted() {
        doc.decrypt("").map_err(|_| ExtractError::Pdf("encrypted with a password; save an unprotected copy".into()))?;
    }
    let mut pages = Vec::new();
    let mut failed = 0;
    // One reader for the document: fonts are built once, not on every page.
    let mut reader = pdf_extract::PageReader::new(&doc);
    for (n, id) in doc.get_pages() {
        // The reader looks up inherited resources through /Parent links
        // and never returns if they go round in a circle (found by fuzzing).
        if parent_cycle(&doc, id) {
            failed += 1;
            continue;
        }
        let mut page = String::new();
        match reader.output_page(&mut pdf_extract::PlainTextOutput::new(&mut page), n, id) {
            Ok(()) => pages.push(page),
            Err(_) => failed += 1,
        }
    }
    if pages.is_empty() {
        return Err(ExtractError::Pdf(if failed > 0 {
            format!("none of its {failed} pages could be read")
        } else {
            "it has no pages".to_string()
        }));
    }
    Ok((pages, failed))
}

/// Does the chain of /Parent links above this page come back on itself?
fn parent_cycle(doc: &pdf_extract::Document, page: pdf_extract::ObjectId) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut id = page;
    loop {
        if !seen.insert(id) {
            return true;
        }
        let parent = doc.get_dictionary(id).and_then(|d| d.get(b"Parent")).and_then(|p| p.as_reference());
        match parent {
            Ok(p) => id = p,
            Err(_) => return false,
        }
    }
}

/// A PDF library error in words a person can act on.
fn pdf_error(raw: &str) -> String {
    let lower = raw.to_lowercase();
    if lower.contains("xref") || lower.contains("trailer") || lower.contains("eof") {
        "damaged or truncated PDF (download it again)".to_string()
    } else if lower.contains("header") {
        "not a PDF (no %PDF- header)".to_string()
    } else {
        format!("unreadable PDF ({raw})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(decode("naïve café".as_bytes()).unwrap(), "naïve café");
        assert_eq!(decode(b"\xef\xbb\xbfBOM").unwrap(), "BOM");
        assert_eq!(decode(b"na\xefve caf\xe9 \x93quoted\x94").unwrap(), "naïve café “quoted”");
        assert_eq!(decode(b"\x00\x01\x02binary"), Err(ExtractError::Binary));
    }

    #[test]
    fn refusals() {
        let p = Path::new("x.txt");
        assert_eq!(text_of(p, b"  \n"), Err(ExtractError::Empty));
        assert_eq!(text_of(Path::new("x.pdf"), b"<!DOCTYPE html><html>"), Err(ExtractError::Html));
        assert_eq!(text_of(p, b"1234 5678"), Err(ExtractError::NoText));
        assert!(text_of(p, b"Some report text").is_ok());
    }

    use pdf_extract::content::{compare_with_lopdf, decode_fast};

    /// The fast reader's operations, if it read `data`, are lopdf's; the
    /// number of operations it read.
    fn agrees(data: &[u8]) -> Option<usize> {
        compare_with_lopdf(data).map(|r| r.unwrap_or_else(|e| panic!("{e}: {:?}", String::from_utf8_lossy(data))))
    }

    /// What PDF writers put in content streams is read without lopdf's
    /// parser, into the operations lopdf reads; what lopdf might read
    /// otherwise is left to lopdf.
    #[test]
    fn content_streams_read_fast_as_lopdf_reads_them() {
        for (data, ops) in [
            (&b"BT /F1 12 Tf 72 712 Td (Hello, \\(world\\)) Tj ET"[..], 5),
            (b"q 1 0 0 1 5. .5 cm -3 +2 .25 -0.5 re f* Q\n", 5),
            (b"[(Ch)12.5(ildren)-333(in)]TJ\r\n0 -14.2 TD(care)'", 3),
            (b"/P <</MCID 3 /ActualText (x\\051y)>>BDC EMC /Span<</Lang(en-GB)>> BDC", 3),
            (b"<48 65 6c6C 6>Tj <>Tj <</A [1 [2.5 /B#20C] null true] /D<<>>>>DP", 3),
            (b"(a(b)c\\\ncont\\r\\012\\7777)Tj 1 2 3 4 5 6 \"", 2),
            (b"%comment\r\n%another\nBT ET\n%trailing\n", 2),
            (b"[1 %c\n 2\x0c]TJ", 1),
            (b"(a\\\r\nb)Tj (a\\\rb)Tj (a\\\n\rb)Tj (a\r\nb)Tj", 4),
            (b"<</A 1 /B 2 /A 3 %c\n/C<</D 4>>>>BDC", 1),
            (b"<4\x008\x0c6 5>Tj 9223372036854775807 -9223372036854775808 Td", 2),
            (b"", 0),
        ] {
            assert_eq!(agrees(data), Some(ops), "{:?}", String::from_utf8_lossy(data));
        }
        // lopdf reads these in ways not worth following: an inline image,
        // a comment then space, an operator with a digit (it splits `d0`),
        // a token it splits (`1.2.3`, `nullx`), a form feed between
        // operands, a reference, `#` not
        // followed by two hexadecimal digits, operands with no operator.
        for data in [
            &b"BI /W 1 /H 1 /CS /G /BPC 8 ID x EI"[..],
            b"%c\n q",
            b"0 0 d0",
            b"1.2.3 w",
            b"nullx",
            b"1\x0c2 m",
            b"[1 2]\x0cTJ",
            b"[1 0 R] TJ",
            b"/A#2 Tf",
            b"1 2",
            b"(unclosed",
            b"<4g> Tj",
            b"9223372036854775808 w",
            b"-9223372036854775809 w",
        ] {
            assert_eq!(decode_fast(data).map(|o| o.len()), None, "{:?}", String::from_utf8_lossy(data));
        }
        // Nesting: read as lopdf reads it to some depth, then left to lopdf
        // (which fails past 100).
        for depth in [1, 20, 31, 32, 33, 101] {
            for (open, close) in [("[", "]"), ("(", ")"), ("<</A ", ">>")] {
                let data = format!("{}1{}TJ", open.repeat(depth), close.repeat(depth)).into_bytes();
                let read = agrees(&data);
                assert_eq!(read.is_some(), depth <= 32, "{depth} {open}");
            }
        }
    }

    proptest::proptest! {
        /// Any run of tokens, mostly plain, some odd, with any separators,
        /// ended by an operator: wherever the fast reader reads a stream,
        /// lopdf reads the same operations.
        #[test]
        fn content_streams_fast_or_left_to_lopdf(
            tokens in proptest::collection::vec((0usize..100, 0usize..100), 0..24)
        ) {
            let mut data = Vec::new();
            for (t, s) in tokens {
                let token = if t < 85 { PLAIN[t % PLAIN.len()] } else { ODD[t % ODD.len()] };
                let separator = if s < 90 { [" ", "\n", "\r\n"][s % 3] } else { ODD_SEPARATORS[s % ODD_SEPARATORS.len()] };
                data.extend_from_slice(token.as_bytes());
                data.extend_from_slice(separator.as_bytes());
            }
            data.extend_from_slice(b"Tj");
            agrees(&data);
        }
    }

    const PLAIN: [&str; 34] = [
        "q",
        "Q",
        "BT",
        "ET",
        "Tj",
        "TJ",
        "'",
        "\"",
        "T*",
        "BDC",
        "null",
        "true",
        "false",
        "1",
        "-2",
        "+3",
        ".5",
        "5.",
        "-.5",
        "/F1",
        "/A#20B",
        "/",
        "(a)",
        "(a\\(b)",
        "(\\0533)",
        "(x\\\n)",
        "(a(b)c)",
        "<48 65>",
        "<</MCID 0>>",
        "[(A)-1(B)]",
        "(x\\\r\ny)",
        "(x\\\ry)",
        "(x\\\n\ry)",
        "<</A 1 /B 2 /A 3>>",
    ];
    const ODD: [&str; 23] = [
        "d0",
        "BI",
        "ID",
        "EI",
        "nullx",
        "truefalse",
        "1.2.3",
        "99999999999999999999",
        "1e5",
        "+",
        ".",
        "/A#2",
        "(",
        ")",
        "<4>",
        "<<",
        ">>",
        "[",
        "]",
        "[1 0 R]",
        "R",
        "<zz>",
        "%c\n",
    ];
    const ODD_SEPARATORS: [&str; 6] = ["", "\t", "\0", "\x0c", "%c\n", "\r"];
}
