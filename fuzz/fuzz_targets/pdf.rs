//! Any bytes read as a PDF, then parsed. A panic inside the PDF library is
//! caught by insp and becomes an error for that file, so the hook is
//! silenced; a panic in insp's own code still reaches libFuzzer (it cannot
//! unwind through the fuzz target) and is reported as a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(init: { std::panic::set_hook(Box::new(|_| {})); }, |data: &[u8]| {
    if let Ok(text) = insp::extract::text_of(Path::new("fuzz.pdf"), data) {
        let _ = insp::report::parse(&text, "fuzz");
    }
});
