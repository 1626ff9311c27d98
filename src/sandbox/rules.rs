//! Content rules that come from account and platform settings: international templates with
//! `【变量】` placeholders, and sensitive words.

/// The placeholder of a template variable, as the vendor's console writes it.
pub const TEMPLATE_VARIABLE: &str = "【变量】";

/// True when `content` matches `template`: the literal parts equal, each `【变量】` standing for
/// at least one character.
pub fn matches_template(template: &str, content: &str) -> bool {
    let parts: Vec<&str> = template.split(TEMPLATE_VARIABLE).collect();
    let (first, rest) = parts.split_first().expect("split yields at least one part");
    match content.strip_prefix(first) {
        Some(tail) if rest.is_empty() => tail.is_empty(),
        Some(tail) => matches_after_variable(rest, tail),
        None => false,
    }
}

/// Matches `text` against a variable followed by `parts[0]`, a variable, `parts[1]`, …
fn matches_after_variable(parts: &[&str], text: &str) -> bool {
    let (literal, rest) = parts.split_first().expect("called with at least one part");
    if rest.is_empty() {
        return text.len() > literal.len() && text.ends_with(literal) && {
            let var = &text[..text.len() - literal.len()];
            !var.is_empty()
        };
    }
    // The variable takes at least one character; try every place the next literal occurs.
    let mut start = text.chars().next().map_or(text.len() + 1, char::len_utf8);
    while start <= text.len() {
        let Some(found) = text[start..].find(literal) else {
            return false;
        };
        let at = start + found;
        if matches_after_variable(rest, &text[at + literal.len()..]) {
            return true;
        }
        start = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The first sensitive word `content` contains.
pub fn find_sensitive<'a>(words: &'a [String], content: &str) -> Option<&'a str> {
    words
        .iter()
        .find(|w| !w.is_empty() && content.contains(w.as_str()))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let t = "Your code is 【变量】, valid for 【变量】 minutes.【互亿无线】";
        assert!(matches_template(
            t,
            "Your code is 1125, valid for 5 minutes.【互亿无线】"
        ));
        assert!(matches_template(
            t,
            "Your code is a, b, valid for 5 minutes.【互亿无线】"
        ));
        assert!(!matches_template(
            t,
            "Your code is , valid for 5 minutes.【互亿无线】"
        ));
        assert!(!matches_template(t, "Your code is 1125.【互亿无线】"));
        assert!(!matches_template(
            t,
            "Your code is 1125, valid for 5 minutes."
        ));
        assert!(matches_template("plain", "plain"));
        assert!(!matches_template("plain", "plain!"));
        assert!(matches_template("【变量】", "验"));
        assert!(!matches_template("【变量】", ""));
        assert!(matches_template("【变量】【变量】", "ab"));
        assert!(!matches_template("【变量】【变量】", "a"));
    }

    #[test]
    fn sensitive() {
        let words = vec!["赌博".to_owned(), String::new()];
        assert_eq!(find_sensitive(&words, "来赌博吧"), Some("赌博"));
        assert_eq!(find_sensitive(&words, "您的验证码是1234"), None);
    }
}
