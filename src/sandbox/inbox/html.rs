//! The inbox page rendered on the server. Every value goes through [`escape`]: message content,
//! numbers, ids, account names and the filter are untrusted input.

use std::fmt::Write as _;

use super::view::{InboxPage, InboxQuery, Ledger, Message, PhoneView};
use crate::catalogue::Product;
use crate::wire::encode_form_value;

/// The page around the view: header, filter, reset button, assets.
const SHELL: &str = include_str!("index.html");

/// What the page is looking at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Screen {
    Inbox(InboxQuery),
    Phone(String),
}

impl Screen {
    pub fn from_fields(fields: &[(String, String)]) -> Screen {
        match fields.iter().rev().find(|(k, _)| k == "phone") {
            Some((_, mobile)) if !mobile.is_empty() => {
                Screen::Phone(mobile.chars().take(64).collect())
            }
            _ => Screen::Inbox(InboxQuery::from_fields(fields)),
        }
    }
}

/// The whole page.
pub(crate) fn page(screen: &Screen, view: &str) -> String {
    let (q, product) = match screen {
        Screen::Inbox(query) => (query.q.as_str(), query.product.map_or("", Product::name)),
        Screen::Phone(_) => ("", ""),
    };
    SHELL
        .replace("{{q}}", &escape(q))
        .replace("{{product}}", product)
        .replace("<!--{{view}}-->", view)
}

/// Escapes text for an element or a quoted attribute.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A query string (`?a=1&b=2`) with every value form-encoded, then escaped for an attribute.
fn href(pairs: &[(&str, &str)]) -> String {
    let mut out = String::from("?");
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        if out.len() > 1 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        encode_form_value(v, &mut out);
    }
    escape(&out)
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

/// The part of the page that live updates replace: tabs, inbox or phone, accounts.
pub(crate) fn view(
    version: u64,
    inbox: Option<&InboxPage>,
    phone: Option<&PhoneView>,
    ledger: &Ledger,
) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let top = inbox
        .and_then(|p| p.messages.first())
        .or_else(|| phone.and_then(|p| p.messages.last()))
        .map_or(0, |m| m.seq);
    let _ = write!(
        out,
        "<div id=\"view\" data-version=\"{version}\" data-top-seq=\"{top}\">"
    );
    if let Some(page) = inbox {
        tabs(&mut out, page);
    }
    out.push_str(if phone.is_some() {
        "<div class=\"cols phone-screen\"><main>"
    } else {
        "<div class=\"cols\"><main>"
    });
    if let Some(page) = inbox {
        inbox_table(&mut out, page);
    }
    if let Some(phone) = phone {
        conversation(&mut out, phone);
    }
    out.push_str("</main>");
    aside(&mut out, ledger);
    out.push_str("</div></div>");
    out
}

fn tabs(out: &mut String, page: &InboxPage) {
    out.push_str("<nav class=\"tabs\" aria-label=\"products\">");
    let choices = [
        (None, "All"),
        (Some(Product::Sms), "SMS"),
        (Some(Product::Voice), "Voice"),
        (Some(Product::Isms), "International"),
    ];
    for (product, label) in choices {
        let on = if product == page.product {
            " class=\"on\" aria-current=\"page\""
        } else {
            ""
        };
        let link = href(&[
            ("product", product.map_or("", Product::name)),
            ("q", &page.q),
        ]);
        let _ = write!(
            out,
            "<a href=\"{link}\"{on} data-product=\"{}\">{label} <span class=\"n\">{}</span></a>",
            product.map_or("all", Product::name),
            thousands(page.counts.of(product))
        );
    }
    out.push_str("</nav>");
}

fn inbox_table(out: &mut String, page: &InboxPage) {
    if page.messages.is_empty() {
        out.push_str("<p class=\"empty\" id=\"empty\">");
        out.push_str(if page.q.is_empty() {
            "No messages yet. Everything an application sends to this sandbox shows up here \
             as it arrives."
        } else {
            "No message matches the filter."
        });
        out.push_str("</p>");
        return;
    }
    out.push_str(
        "<table class=\"inbox\" id=\"inbox\"><thead><tr><th>Time (UTC+8)</th><th>Product</th>\
         <th>Number</th><th>Message</th><th>Result · id</th><th>Receipt</th></tr></thead><tbody>",
    );
    for m in &page.messages {
        let _ = write!(
            out,
            "<tr data-seq=\"{}\" class=\"{}\"><td class=\"time\">{}</td><td><span class=\"product {}\">{}</span></td>\
             <td><a class=\"phone-link\" href=\"{}\">{}</a></td><td class=\"content\"><div class=\"text\">{}</div>\
             <div class=\"meta\">{}</div></td><td class=\"result\">{}<div class=\"id\">{}</div></td><td class=\"receipt\">{}</td></tr>",
            m.seq,
            if m.accepted { "accepted" } else { "refused" },
            escape(&m.time),
            m.product.name(),
            m.product.name(),
            href(&[("phone", &m.mobile)]),
            escape(&m.mobile),
            escape(&m.display),
            escape(&size(m)),
            result(m),
            escape(m.id.as_deref().unwrap_or("")),
            receipt(m),
        );
    }
    out.push_str("</tbody></table>");
    let first = page.offset + 1;
    let last = page.offset + page.messages.len();
    let _ = write!(
        out,
        "<div class=\"pager\"><span id=\"range\">{}–{} of {}</span>",
        thousands(first),
        thousands(last),
        thousands(page.matched)
    );
    let product = page.product.map_or("", Product::name);
    let limit = if page.limit == super::view::PAGE_DEFAULT {
        String::new()
    } else {
        page.limit.to_string()
    };
    if page.offset > 0 {
        let newer = page.offset.saturating_sub(page.limit).to_string();
        let newer = if newer == "0" { String::new() } else { newer };
        let _ = write!(
            out,
            " <a href=\"{}\" rel=\"prev\">← newer</a>",
            href(&[
                ("product", product),
                ("q", &page.q),
                ("offset", &newer),
                ("limit", &limit)
            ])
        );
    }
    if last < page.matched {
        let _ = write!(
            out,
            " <a href=\"{}\" rel=\"next\">older →</a>",
            href(&[
                ("product", product),
                ("q", &page.q),
                ("offset", &last.to_string()),
                ("limit", &limit)
            ])
        );
    }
    out.push_str("</div>");
}

fn size(m: &Message) -> String {
    if m.product == Product::Voice {
        return format!("{} digits · 1 call", m.characters);
    }
    format!(
        "{} char{} · {} segment{}",
        m.characters,
        if m.characters == 1 { "" } else { "s" },
        m.segments,
        if m.segments == 1 { "" } else { "s" }
    )
}

fn result(m: &Message) -> String {
    let mut out = String::new();
    match m.code {
        Some(code) => {
            let _ = write!(
                out,
                "<span class=\"code {}\">{code}</span> {}",
                if m.accepted { "ok" } else { "bad" },
                escape(&m.msg)
            );
        }
        None => {
            let _ = write!(out, "<span class=\"code bad\">—</span> {}", escape(&m.msg));
        }
    }
    if let Some(fault) = m.fault {
        let _ = write!(
            out,
            " <span class=\"fault\">fault: {}</span>",
            escape(fault)
        );
    }
    out
}

fn receipt(m: &Message) -> String {
    match &m.receipt {
        None => String::new(),
        Some(r) => format!(
            "<span class=\"receipt-state {}{}\">{}</span>",
            r.state,
            if r.pushes > 0 && !r.acknowledged {
                " unacked"
            } else {
                ""
            },
            escape(&r.label)
        ),
    }
}

fn conversation(out: &mut String, phone: &PhoneView) {
    let _ = write!(
        out,
        "<section class=\"phone\" id=\"phone\"><p class=\"back\"><a href=\"?\">← all messages</a></p>\
         <div class=\"handset\"><div class=\"handset-head\"><span class=\"who\">{}</span>\
         <span class=\"count\">{} message{}{}</span></div><ol class=\"conversation\">",
        escape(&phone.mobile),
        thousands(phone.total),
        if phone.total == 1 { "" } else { "s" },
        if phone.total > phone.messages.len() {
            format!(" (newest {} shown)", phone.messages.len())
        } else {
            String::new()
        }
    );
    if phone.messages.is_empty() {
        out.push_str("<li class=\"none\">Nothing was sent to this number.</li>");
    }
    for m in &phone.messages {
        let _ = write!(
            out,
            "<li data-seq=\"{}\" class=\"bubble {} {}\"><div class=\"text\">{}</div>\
             <div class=\"meta\">{} · {} · {}{}</div></li>",
            m.seq,
            m.product.name(),
            if m.accepted { "accepted" } else { "refused" },
            escape(&m.display),
            escape(&m.time),
            m.product.name(),
            if m.accepted {
                escape(&size(m))
            } else {
                format!(
                    "not sent: {} {}",
                    m.code.map_or_else(|| "—".to_owned(), |c| c.to_string()),
                    escape(&m.msg)
                )
            },
            m.receipt
                .as_ref()
                .map_or_else(String::new, |r| format!(" · {}", escape(&r.label)))
        );
    }
    out.push_str("</ol></div></section>");
}

fn aside(out: &mut String, ledger: &Ledger) {
    let _ = write!(
        out,
        "<aside id=\"ledger\"><h2>Accounts</h2><p class=\"clock\">sandbox time {}</p>\
         <table class=\"accounts\"><thead><tr><th>Product</th><th>Account</th><th>Balance</th><th>State</th></tr></thead><tbody>",
        escape(&ledger.time)
    );
    for a in &ledger.accounts {
        let mut state = Vec::new();
        if a.frozen {
            state.push("<span class=\"flag bad\">frozen (4050)</span>".to_owned());
        }
        if !a.allowed_ips.is_empty() {
            state.push(format!(
                "<span class=\"flag\">IPs: {}</span>",
                escape(&a.allowed_ips.join(", "))
            ));
        }
        if let Some(url) = &a.push_url {
            state.push(format!(
                "<span class=\"flag\" title=\"receipts pushed to {}\">receipts on</span>",
                escape(url)
            ));
        }
        if let Some(n) = a.templates {
            state.push(format!("<span class=\"flag\">{n} templates</span>"));
        }
        if state.is_empty() {
            state.push("<span class=\"flag ok\">active</span>".to_owned());
        }
        let _ = write!(
            out,
            "<tr data-product=\"{}\"><td>{}</td><td class=\"mono\">{}</td><td class=\"balance\">{}<span class=\"of\"> / {}</span></td><td>{}</td></tr>",
            a.product.name(),
            a.product.name(),
            escape(&a.account),
            a.balance,
            a.initial_balance,
            state.join(" ")
        );
    }
    out.push_str("</tbody></table><h2>Frequency limits</h2>");
    let l = &ledger.limits;
    if l.is_off() {
        out.push_str("<p class=\"muted\" id=\"limits\">Off (permissive): no per-number limit.</p>");
    } else {
        let _ = write!(
            out,
            "<p id=\"limits\">Per number (domestic SMS): {}/second (4080), {}/day (4082), {} codes/day (4085); 0 = off.</p>",
            l.per_second, l.per_day, l.codes_per_day
        );
        if ledger.counters.is_empty() {
            out.push_str("<p class=\"muted\">No number has been counted today.</p>");
        } else {
            out.push_str("<table class=\"counters\"><thead><tr><th>Number</th><th>This second</th><th>Today</th><th>Codes today</th></tr></thead><tbody>");
            for c in &ledger.counters {
                let full = |n: u32, max: u32| {
                    if max > 0 && n >= max {
                        " class=\"full\""
                    } else {
                        ""
                    }
                };
                let _ = write!(
                    out,
                    "<tr><td><a class=\"phone-link\" href=\"{}\">{}</a> <span class=\"product {}\">{}</span></td><td{}>{}</td><td{}>{}</td><td{}>{}</td></tr>",
                    href(&[("phone", &c.mobile)]),
                    escape(&c.mobile),
                    c.product.name(),
                    c.product.name(),
                    full(c.this_second, l.per_second),
                    c.this_second,
                    full(c.today, l.per_day),
                    c.today,
                    full(c.codes_today, l.codes_per_day),
                    c.codes_today
                );
            }
            out.push_str("</tbody></table>");
        }
    }
    list(out, "Blacklist (4030)", "blacklist", &ledger.blacklist);
    list(
        out,
        "Sensitive words (407)",
        "sensitive",
        &ledger.sensitive_words,
    );
    list(out, "Denied addresses (400)", "denied", &ledger.denied_ips);
    out.push_str("</aside>");
}

fn list(out: &mut String, title: &str, id: &str, items: &[String]) {
    let _ = write!(out, "<h2>{title}</h2>");
    if items.is_empty() {
        let _ = write!(out, "<p class=\"muted\" id=\"{id}\">None.</p>");
        return;
    }
    let _ = write!(out, "<ul class=\"chips\" id=\"{id}\">");
    for item in items.iter().take(200) {
        let _ = write!(out, "<li>{}</li>", escape(item));
    }
    if items.len() > 200 {
        let _ = write!(out, "<li>… {} more</li>", items.len() - 200);
    }
    out.push_str("</ul>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_markup_could_hide_in() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(
            href(&[("phone", "63 917\"><x>"), ("q", "")]),
            "?phone=63+917%22%3E%3Cx%3E"
        );
        assert_eq!(thousands(10_000), "10\u{2009}000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn screens() {
        let f = |pairs: &[(&str, &str)]| {
            Screen::from_fields(
                &pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            f(&[("phone", "13800138000")]),
            Screen::Phone("13800138000".into())
        );
        assert_eq!(f(&[("phone", "")]), Screen::Inbox(InboxQuery::default()));
    }
}
