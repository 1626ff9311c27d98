//! The message template of `bulk` and `estimate --csv`: `{column}` placeholders filled from each
//! CSV row; `{{` and `}}` are literal braces.

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Column(usize),
}

impl Template {
    /// Parses `source` against the CSV's `headers` (matched exactly as given: a caller that
    /// forgives padded header names passes them trimmed); an unknown column or a lone brace is an
    /// error.
    pub fn parse<S: AsRef<str>>(source: &str, headers: &[S]) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = source.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some('{') | None => {
                                return Err(format!(
                                    "unclosed placeholder {{{name} (write {{{{ for a literal brace)"
                                ));
                            }
                            Some(c) => name.push(c),
                        }
                    }
                    let name = name.trim();
                    let Some(index) = headers.iter().position(|h| h.as_ref() == name) else {
                        let columns: Vec<&str> = headers.iter().map(AsRef::as_ref).collect();
                        return Err(format!(
                            "placeholder {{{name}}} names no CSV column (columns: {})",
                            columns.join(", ")
                        ));
                    };
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Column(index));
                }
                '}' => return Err("lone } (write }} for a literal brace)".to_owned()),
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template { parts })
    }

    /// The message for one row.
    pub fn render(&self, row: &csv::StringRecord) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Column(i) => out.push_str(row.get(*i).unwrap_or("")),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers() -> Vec<String> {
        vec!["mobile".into(), "name".into(), "code".into()]
    }

    #[test]
    fn renders_placeholders_and_escapes() {
        let t = Template::parse("{{hi}} {name}, code { code }.", &headers()).unwrap();
        let row = csv::StringRecord::from(vec!["13800138000", "李雷", "1234"]);
        assert_eq!(t.render(&row), "{hi} 李雷, code 1234.");
    }

    #[test]
    fn refuses_unknown_columns_and_lone_braces() {
        assert!(
            Template::parse("{nope}", &headers())
                .unwrap_err()
                .contains("columns: mobile, name, code")
        );
        assert!(Template::parse("{name", &headers()).is_err());
        assert!(Template::parse("a } b", &headers()).is_err());
        assert!(Template::parse("{}", &headers()).is_err());
    }
}
