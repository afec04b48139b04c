//! Any bytes as a PDF content stream: wherever the patched pdf-extract's
//! own reader reads them (`decode_fast`), lopdf's parser reads the same
//! operations (lopdf is run only on what the reader reads). A difference,
//! or a panic in either, is a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(Err(e)) = pdf_extract::content::compare_with_lopdf(data) {
        panic!("{e}");
    }
});
