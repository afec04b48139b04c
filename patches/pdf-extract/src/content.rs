//! insp patch: a content stream read without nom.
//!
//! lopdf's `Content::decode` builds each operand through nom parser
//! combinators; on the Ofsted reports it was 43% of all text extraction.
//! `decode_fast` reads the plain content streams that PDF writers produce
//! (operands separated by spaces or delimiters, names, strings, arrays and
//! dictionaries) straight from the bytes, into the same `Operation`s. It
//! agrees with lopdf by construction: whatever it is not sure lopdf reads
//! the same way (an inline image, a comment between operands, a token lopdf
//! would split, an unfinished stream, deep nesting) makes it give up, and
//! `decode` then asks lopdf. `compare_with_lopdf` compares the two: insp's
//! tests on every content stream of the dev PDFs and on generated streams,
//! insp's fuzz target `pdf_content` on any bytes.

/// lopdf's own, for comparing with (`Content::decode`).
pub use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Object, StringFormat};

/// The operations of a content stream, as `lopdf::content::Content::decode`
/// reads them.
pub fn decode(data: &[u8]) -> lopdf::Result<Content<Vec<Operation>>> {
    match decode_fast(data) {
        Some(operations) => Ok(Content { operations }),
        None => Content::decode(data),
    }
}

/// The operations of a plain content stream, or `None` where lopdf might
/// read it differently.
pub fn decode_fast(data: &[u8]) -> Option<Vec<Operation>> {
    let mut r = Reader { data, at: 0 };
    r.content_space();
    let mut operations = Vec::with_capacity(data.len() / 16);
    let mut operands = Vec::new();
    loop {
        let Some(&c) = data.get(r.at) else {
            // Operands with no operator: lopdf drops them; not worth following.
            return operands.is_empty().then_some(operations);
        };
        if operands.is_empty() {
            if c == b'%' {
                r.comment()?;
                // lopdf reads an operation right after a comment's end of
                // line, with no space before it.
                if r.at < data.len() && is_content_space(data[r.at]) {
                    return None;
                }
                continue;
            }
            if data[r.at..].starts_with(b"BI") {
                return None; // an inline image
            }
        }
        match c {
            b'/' | b'(' | b'<' | b'[' => operands.push(r.object(DEPTH)?),
            _ if is_regular(c) => {
                let run = r.run();
                if let Some(operand) = keyword_or_number(run)? {
                    operands.push(operand);
                } else if run.iter().all(|&b| b.is_ascii_alphabetic() || b == b'*' || b == b'\'' || b == b'"') {
                    let operator = std::str::from_utf8(run).ok()?.to_string();
                    // An exact allocation; the scratch vector keeps its room.
                    operations.push(Operation { operator, operands: operands.drain(..).collect() });
                } else {
                    return None;
                }
            }
            _ => return None,
        }
        r.content_space();
    }
}

/// For tests and fuzzing: `None` where `decode_fast` leaves `data` to
/// lopdf; else the number of operations it read if lopdf reads the same,
/// or what differs. Operands are compared by `==` (which tells apart bytes
/// that print alike) and printed (which shows a dictionary's key order;
/// `==` on lopdf's dictionaries ignores it).
pub fn compare_with_lopdf(data: &[u8]) -> Option<Result<usize, String>> {
    let fast = decode_fast(data)?;
    let slow = match Content::decode(data) {
        Ok(c) => c.operations,
        Err(e) => return Some(Err(format!("lopdf fails ({e}) where the fast reader reads"))),
    };
    if fast.len() != slow.len() {
        return Some(Err(format!("{} operations, lopdf {}", fast.len(), slow.len())));
    }
    for (a, b) in fast.iter().zip(&slow) {
        if a.operator != b.operator || a.operands != b.operands || format!("{:?}", a.operands) != format!("{:?}", b.operands) {
            return Some(Err(format!("{:?} {} against lopdf's {:?} {}", a.operands, a.operator, b.operands, b.operator)));
        }
    }
    Some(Ok(fast.len()))
}

/// How deep arrays, dictionaries and parenthesised strings may nest here:
/// well inside lopdf's limits (100), so that its limits never apply.
const DEPTH: usize = 32;

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.at).copied()
    }

    /// What lopdf skips between operands and operations: space, tab, CR, LF.
    fn content_space(&mut self) {
        while self.peek().is_some_and(is_content_space) {
            self.at += 1;
        }
    }

    /// What lopdf skips inside arrays and dictionaries: all six white-space
    /// bytes and comments.
    fn space(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(c) if is_whitespace(c) => self.at += 1,
                Some(b'%') => self.comment()?,
                _ => return Some(()),
            }
        }
    }

    /// `%` to the end of the line, which must be there (CR LF, LF or CR).
    fn comment(&mut self) -> Option<()> {
        let rest = &self.data[self.at..];
        let end = rest.iter().position(|&b| b == b'\r' || b == b'\n')?;
        self.at += end + if rest[end..].starts_with(b"\r\n") { 2 } else { 1 };
        Some(())
    }

    /// The regular bytes from here: a number, keyword or operator.
    fn run(&mut self) -> &'a [u8] {
        let start = self.at;
        while self.peek().is_some_and(is_regular) {
            self.at += 1;
        }
        &self.data[start..self.at]
    }

    /// A name, string, array or dictionary (at `/`, `(`, `<` or `[`), or,
    /// inside an array or dictionary, a number or keyword.
    fn object(&mut self, depth: usize) -> Option<Object> {
        if depth == 0 {
            return None;
        }
        match self.peek()? {
            b'/' => self.name().map(Object::Name),
            b'(' => {
                self.at += 1;
                let mut out = Vec::with_capacity(16);
                self.literal(&mut out, depth)?;
                Some(Object::String(out, StringFormat::Literal))
            }
            b'<' if self.data[self.at..].starts_with(b"<<") => self.dictionary(depth).map(Object::Dictionary),
            b'<' => self.hexadecimal().map(|s| Object::String(s, StringFormat::Hexadecimal)),
            b'[' => {
                self.at += 1;
                self.space()?;
                let mut items = Vec::with_capacity(8);
                loop {
                    if self.peek()? == b']' {
                        self.at += 1;
                        return Some(Object::Array(items));
                    }
                    items.push(self.nested(depth - 1)?);
                    self.space()?;
                }
            }
            _ => None,
        }
    }

    /// An array item or dictionary value. lopdf also reads references
    /// (`12 0 R`) here: any run that is not a number or keyword gives up,
    /// so the `R` of one does too.
    fn nested(&mut self, depth: usize) -> Option<Object> {
        let c = self.peek()?;
        if is_regular(c) {
            keyword_or_number(self.run())?
        } else {
            self.object(depth)
        }
    }

    fn dictionary(&mut self, depth: usize) -> Option<Dictionary> {
        self.at += 2;
        self.space()?;
        let mut dict = Dictionary::new();
        loop {
            match self.peek()? {
                b'>' if self.data[self.at..].starts_with(b">>") => {
                    self.at += 2;
                    return Some(dict);
                }
                b'/' => {
                    let key = self.name()?;
                    self.space()?;
                    let value = self.nested(depth - 1)?;
                    self.space()?;
                    dict.set(key, value);
                }
                _ => return None,
            }
        }
    }

    /// `/` and the regular bytes after it, `#xx` decoded.
    fn name(&mut self) -> Option<Vec<u8>> {
        self.at += 1;
        let mut out = Vec::new();
        while let Some(c) = self.peek().filter(|&c| is_regular(c)) {
            if c == b'#' {
                let hex = self.data.get(self.at + 1..self.at + 3)?;
                out.push(hex_value(hex[0])? << 4 | hex_value(hex[1])?);
                self.at += 3;
            } else {
                out.push(c);
                self.at += 1;
            }
        }
        Some(out)
    }

    /// The inside of a literal string after its `(`, through its `)`.
    fn literal(&mut self, out: &mut Vec<u8>, depth: usize) -> Option<()> {
        loop {
            let rest = &self.data[self.at..];
            let direct = rest.iter().position(|&c| matches!(c, b'(' | b')' | b'\\')).unwrap_or(rest.len());
            out.extend_from_slice(&rest[..direct]);
            self.at += direct;
            let c = self.peek()?;
            self.at += 1;
            match c {
                b')' => return Some(()),
                b'(' => {
                    if depth <= 1 {
                        return None;
                    }
                    out.push(b'(');
                    self.literal(out, depth - 1)?;
                    out.push(b')');
                }
                b'\\' => {
                    let e = self.peek()?;
                    self.at += 1;
                    match e {
                        b'0'..=b'7' => {
                            // One to three octal digits; overflow is ignored.
                            let mut value = u16::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        value = value * 8 + u16::from(d - b'0');
                                        self.at += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(value as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.at += 1;
                            }
                        }
                        b'\n' => {}
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(b'\x08'),
                        b'f' => out.push(b'\x0c'),
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    /// `<`, hexadecimal digits among white space, `>`; an odd last digit is
    /// its high half.
    fn hexadecimal(&mut self) -> Option<Vec<u8>> {
        self.at += 1;
        let mut out = Vec::new();
        let mut high = true;
        loop {
            let c = self.peek()?;
            self.at += 1;
            if c == b'>' {
                return Some(out);
            } else if is_whitespace(c) {
                continue;
            }
            let v = hex_value(c)?;
            if high {
                out.push(v << 4);
            } else {
                *out.last_mut()? |= v;
            }
            high = !high;
        }
    }
}

/// `null`, `true`, `false` or a number, as lopdf reads a whole run of
/// regular bytes; `Some(None)` for what may be an operator; `None` for what
/// lopdf would split into more than one token.
fn keyword_or_number(run: &[u8]) -> Option<Option<Object>> {
    match run {
        b"null" => return Some(Some(Object::Null)),
        b"true" => return Some(Some(Object::Boolean(true))),
        b"false" => return Some(Some(Object::Boolean(false))),
        _ => {}
    }
    if run.starts_with(b"null") || run.starts_with(b"true") || run.starts_with(b"false") {
        return None;
    }
    let digits = run.strip_prefix(b"+").or_else(|| run.strip_prefix(b"-")).unwrap_or(run);
    if !digits.first().is_some_and(|&c| c.is_ascii_digit() || c == b'.') && digits.len() == run.len() {
        return Some(None);
    }
    let dots = digits.iter().filter(|&&c| c == b'.').count();
    if !digits.iter().all(|&c| c.is_ascii_digit() || c == b'.') {
        return None;
    }
    match dots {
        0 if !digits.is_empty() => {
            // As i64::from_str: None on overflow (down to i64::MIN).
            let negative = run[0] == b'-';
            let mut n: i64 = 0;
            for &d in digits {
                let d = i64::from(d - b'0');
                n = n.checked_mul(10)?;
                n = if negative { n.checked_sub(d)? } else { n.checked_add(d)? };
            }
            Some(Some(Object::Integer(n)))
        }
        1 if digits.len() > 1 => std::str::from_utf8(run).ok()?.parse::<f32>().ok().map(|n| Some(Object::Real(n))),
        _ => None,
    }
}

fn is_content_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0c')
}

fn is_delimiter(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_regular(c: u8) -> bool {
    !is_whitespace(c) && !is_delimiter(c)
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}
