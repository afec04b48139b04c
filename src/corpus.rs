//! The sample reports compiled into the binary, so that `insp search` works
//! on a machine with no index and no files.

/// (source label, text) of each bundled report.
pub const BUNDLED: [(&str, &str); 5] = [
    ("corpus/dudley-2012-02-cabinet-report.txt", include_str!("../corpus/dudley-2012-02-cabinet-report.txt")),
    ("corpus/kirklees-2011-11-slac-inspection.txt", include_str!("../corpus/kirklees-2011-11-slac-inspection.txt")),
    ("corpus/wakefield-2011-01-slac-inspection.txt", include_str!("../corpus/wakefield-2011-01-slac-inspection.txt")),
    ("corpus/wakefield-2020-12-focused-visit.txt", include_str!("../corpus/wakefield-2020-12-focused-visit.txt")),
    (
        "corpus/wolverhampton-2011-07-slac-inspection.txt",
        include_str!("../corpus/wolverhampton-2011-07-slac-inspection.txt"),
    ),
];

/// The folder label bundled sources live under (for removal of stale ones).
pub const ROOT: &str = "corpus";
