//! Any bytes as a PDF content stream: wherever the patched pdf-extract's
//! own reader reads them (`decode_fast`), lopdf's parser reads the same
//! operations (lopdf is run only on what the reader reads). A difference,
//! or a panic in either, is a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pdf_extract::content::{Content, decode_fast};

fuzz_target!(|data: &[u8]| {
    if let Some(fast) = decode_fast(data) {
        let slow = Content::decode(data).expect("lopdf reads what the fast reader reads");
        assert_eq!(fast.len(), slow.operations.len());
        for (a, b) in fast.iter().zip(&slow.operations) {
            assert_eq!((&a.operator, &a.operands), (&b.operator, &b.operands));
            // `==` on lopdf's dictionaries ignores key order; the printed form shows it.
            assert_eq!(format!("{:?}", a.operands), format!("{:?}", b.operands));
        }
    }
});
