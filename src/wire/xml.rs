//! A small, allocation-light reader for the flat XML the API answers with: one root element whose
//! children carry text (`<SubmitResult><code>2</code>…</SubmitResult>`).
//!
//! It ignores namespaces (prefixes and `xmlns`), whitespace between elements, the XML
//! declaration, comments, processing instructions and a doctype; decodes the five predefined
//! entities, numeric character references and CDATA. Nested elements below the root's children
//! are skipped. Anything that is not well-formed enough to find those children is an error.

use std::borrow::Cow;

/// Calls `field(local_name, text)` for each child of the root, in document order, and returns the
/// root's local name.
pub(crate) fn read_flat<'a>(
    doc: &'a str,
    mut field: impl FnMut(&'a str, Cow<'a, str>),
) -> Result<&'a str, &'static str> {
    let bytes = doc.as_bytes();
    let mut i = 0;
    let mut depth = 0usize;
    let mut root: Option<&'a str> = None;
    // The child of the root being read: its name and where its content starts.
    let mut child: Option<(&'a str, Cow<'a, str>)> = None;

    while i < bytes.len() {
        if bytes[i] != b'<' {
            let end = memchr(b'<', &bytes[i..]).map_or(bytes.len(), |n| i + n);
            let text = &doc[i..end];
            match depth {
                0 if !text.trim().is_empty() => return Err("text outside the root element"),
                2 => {
                    if let Some((_, value)) = child.as_mut() {
                        append(value, decode_entities(text));
                    }
                }
                _ => {}
            }
            i = end;
            continue;
        }
        let rest = &doc[i..];
        if rest.starts_with("<?") {
            i += find(rest, "?>").ok_or("unterminated processing instruction")? + 2;
        } else if rest.starts_with("<!--") {
            i += find(rest, "-->").ok_or("unterminated comment")? + 3;
        } else if rest.starts_with("<![CDATA[") {
            let end = find(rest, "]]>").ok_or("unterminated CDATA")?;
            if depth == 2 {
                if let Some((_, value)) = child.as_mut() {
                    append(value, Cow::Borrowed(&rest[9..end]));
                }
            }
            i += end + 3;
        } else if rest.starts_with("<!") {
            i += find(rest, ">").ok_or("unterminated declaration")? + 1;
        } else if rest.starts_with("</") {
            let end = find(rest, ">").ok_or("unterminated end tag")?;
            if depth == 0 {
                return Err("end tag without a start tag");
            }
            if depth == 2 {
                if let Some((name, value)) = child.take() {
                    field(name, value);
                }
            }
            depth -= 1;
            i += end + 1;
            if depth == 0 {
                return root.ok_or("no root element");
            }
        } else {
            let (name, len, self_closing) = start_tag(rest)?;
            if depth == 0 && root.is_some() {
                return Err("more than one root element");
            }
            depth += 1;
            match depth {
                1 => root = Some(name),
                2 => child = Some((name, Cow::Borrowed(""))),
                _ => {}
            }
            if self_closing {
                if depth == 2 {
                    if let Some((name, value)) = child.take() {
                        field(name, value);
                    }
                }
                depth -= 1;
                if depth == 0 {
                    return root.ok_or("no root element");
                }
            }
            i += len;
        }
    }
    Err(if root.is_some() {
        "truncated document"
    } else {
        "no root element"
    })
}

/// Parses `<name attr="…" …>` or `<name …/>` at the start of `s`: the local name, the tag's
/// length in bytes, and whether it closes itself.
fn start_tag(s: &str) -> Result<(&str, usize, bool), &'static str> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let qname = &s[1..i];
    if qname.is_empty() {
        return Err("malformed start tag");
    }
    let mut quote = None;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => {
                let self_closing = b[i - 1] == b'/';
                return Ok((local_name(qname), i + 1, self_closing));
            }
            None => {}
        }
        i += 1;
    }
    Err("unterminated start tag")
}

fn local_name(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, local)| local)
}

/// Where `needle` (non-empty, ASCII) first starts in `haystack`. The needles are two or three
/// bytes long and found within a few bytes, where a byte scan beats `str::find`'s Two-Way searcher,
/// whose set-up alone cost more than the search (a third of the XML parse, measured by perf).
fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let mut from = 0;
    while let Some(k) = memchr(n[0], &h[from..]) {
        let at = from + k;
        if h[at..].starts_with(n) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn append<'a>(value: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if value.is_empty() {
        *value = more;
    } else if !more.is_empty() {
        value.to_mut().push_str(&more);
    }
}

/// Decodes `&lt; &gt; &amp; &quot; &apos;` and `&#N;`/`&#xH;`; anything else is kept as written.
pub(crate) fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let decoded = tail.find(';').filter(|&semi| semi <= 12).and_then(|semi| {
            let entity = &tail[1..semi];
            let c = match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity.strip_prefix('#').and_then(|num| {
                    let n = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse::<u32>().ok(),
                    };
                    n.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Fields = Vec<(String, String)>;

    fn fields(doc: &str) -> Result<(String, Fields), &'static str> {
        let mut out = Vec::new();
        let root = read_flat(doc, |k, v| out.push((k.to_string(), v.into_owned())))?;
        Ok((root.to_string(), out))
    }

    #[test]
    fn reads_the_vendor_sample() {
        let doc = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SubmitResult xmlns=\"http://106.ihuyi.com/\">\n<code>401</code>\n<msg>帐号不能为空</msg>\n<smsid>0</smsid>\n</SubmitResult>\n";
        let (root, f) = fields(doc).unwrap();
        assert_eq!(root, "SubmitResult");
        assert_eq!(f.len(), 3);
        assert_eq!(f[1], ("msg".into(), "帐号不能为空".into()));
    }

    #[test]
    fn tolerates_prefixes_entities_cdata_comments_and_empty_elements() {
        let doc = "<!-- hi --><ns:R xmlns:ns='x'><ns:code a=\"1>2\">2</ns:code><msg>a &amp; b &#x4E2D;&#25991; &bogus; <![CDATA[<raw>]]></msg><smsid/><x><deep>1</deep></x></ns:R>";
        let (root, f) = fields(doc).unwrap();
        assert_eq!(root, "R");
        assert_eq!(f[0], ("code".into(), "2".into()));
        assert_eq!(f[1], ("msg".into(), "a & b 中文 &bogus; <raw>".into()));
        assert_eq!(f[2], ("smsid".into(), "".into()));
        assert_eq!(f[3].0, "x");
    }

    #[test]
    fn refuses_garbage() {
        for bad in [
            "",
            "hello",
            "<",
            "<a><b>1</b>",
            "</a>",
            "<a><!-- x",
            "<a b='>",
        ] {
            assert!(fields(bad).is_err(), "{bad:?}");
        }
    }
}
