//! BM25's statistics, the same for the same paragraphs however the index
//! came to hold them.
//!
//! tantivy takes a field's average length from the token count each
//! segment wrote when it was built; a segment merged from one with deleted
//! paragraphs (`insp index` replacing or removing a report) writes an
//! estimate from the quantized lengths instead. An index updated in place
//! scored about 1% apart from one built afresh from the same files (at
//! 2026-12-02: 37.54 against 37.89 for the first hit of "unallocated
//! cases" on the dev PDFs). Here a field's total is always counted from
//! its live paragraphs' quantized lengths, each at its bucket's middle (at
//! the lower bound, tantivy's own reading, real-report nDCG@10 fell by
//! 0.002), once per commit, when a query first needs it (one byte a
//! paragraph). The number of paragraphs and each word's are tantivy's own.

use super::Searcher;
use std::collections::HashMap;
use std::sync::Mutex;
use tantivy::Term;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;

/// The fields' totals counted so far over one commit.
#[derive(Default)]
pub(super) struct Lengths(Mutex<HashMap<Field, u64>>);

impl Bm25StatisticsProvider for Searcher<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut known = self.memory.lengths.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&total) = known.get(&field) {
            return Ok(total);
        }
        let total = quantized_total(&self.searcher, field)?;
        known.insert(field, total);
        Ok(total)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(&self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}

/// The sum of the live paragraphs' lengths in `field`, each its quantized
/// length's bucket middle (`length_of`; tantivy's own count where the field
/// keeps no lengths).
pub(super) fn quantized_total(searcher: &tantivy::Searcher, field: Field) -> tantivy::Result<u64> {
    let mut total = 0;
    for reader in searcher.segment_readers() {
        // One byte a paragraph: its quantized length.
        let Some(file) = reader.fieldnorms_readers().get_inner_file().open_read(field) else {
            total += reader.inverted_index(field)?.total_num_tokens();
            continue;
        };
        let bytes = file.read_bytes()?;
        let ids = bytes.as_slice();
        let count = match reader.alive_bitset() {
            None => histogram(ids),
            Some(alive) => {
                let mut count = [0u64; 256];
                alive.iter_alive().filter_map(|doc| ids.get(doc as usize)).for_each(|&id| count[id as usize] += 1);
                count
            }
        };
        total += count.iter().enumerate().map(|(id, &n)| n * length_of(id as u8)).sum::<u64>();
    }
    Ok(total)
}

/// How many times each byte occurs, counted in four lanes (one lane's
/// increments wait on each other; four overlap).
fn histogram(bytes: &[u8]) -> [u64; 256] {
    let mut lanes = [[0u32; 256]; 4];
    let mut chunks = bytes.chunks_exact(4);
    for c in &mut chunks {
        lanes[0][c[0] as usize] += 1;
        lanes[1][c[1] as usize] += 1;
        lanes[2][c[2] as usize] += 1;
        lanes[3][c[3] as usize] += 1;
    }
    for &b in chunks.remainder() {
        lanes[0][b as usize] += 1;
    }
    std::array::from_fn(|i| lanes.iter().map(|l| u64::from(l[i])).sum())
}

/// The length a quantized length stands for: the middle of its bucket,
/// rounded down (tantivy keeps a bucket's lower bound; lengths up to 40
/// have buckets of one, so they stand for themselves).
fn length_of(id: u8) -> u64 {
    let low = u64::from(FieldNormReader::id_to_fieldnorm(id));
    let high = if id == u8::MAX { low + 1 } else { u64::from(FieldNormReader::id_to_fieldnorm(id + 1)) };
    (low + high - 1) / 2
}
