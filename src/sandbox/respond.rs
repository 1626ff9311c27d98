//! Rendering an answer byte for byte in the vendor's forms.

use super::handler::Answer;
use crate::catalogue::Product;

/// The namespace of the vendor's real answers.
const NAMESPACE: &str = "http://106.ihuyi.com/";

/// The content type and body of an answer in XML (default) or JSON.
pub(crate) fn render(product: Product, answer: &Answer, json: bool) -> (&'static str, String) {
    if json {
        (
            "application/json; charset=utf-8",
            render_json(product, answer),
        )
    } else {
        ("text/xml; charset=utf-8", render_xml(product, answer))
    }
}

fn render_xml(product: Product, answer: &Answer) -> String {
    let (root, code, msg, tail_name, tail) = match answer {
        Answer::Submit { code, msg, id } => (
            "SubmitResult",
            code,
            msg,
            product.spec().id_field,
            id.clone(),
        ),
        Answer::GetNum { code, msg, num } => ("GetNumResult", code, msg, "num", num.to_string()),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<{root} xmlns=\"{NAMESPACE}\">\n<code>{code}</code>\n<msg>{}</msg>\n<{tail_name}>{}</{tail_name}>\n</{root}>\n",
        escape(msg),
        escape(&tail)
    )
}

fn render_json(product: Product, answer: &Answer) -> String {
    match answer {
        Answer::Submit { code, msg, id } => {
            let id_field = product.spec().id_field;
            format!(
                "{{\"code\":{code},\"msg\":{},\"{id_field}\":{}}}",
                json_string(msg),
                json_string(id)
            )
        }
        Answer::GetNum { code, msg, num } => {
            format!(
                "{{\"code\":{code},\"msg\":{},\"num\":{num}}}",
                json_string(msg)
            )
        }
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_matches_the_vendor_sample_byte_for_byte() {
        let answer = Answer::Submit {
            code: 401,
            msg: "帐号不能为空".into(),
            id: "0".into(),
        };
        let (_, body) = render(Product::Sms, &answer, false);
        assert_eq!(
            body,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SubmitResult xmlns=\"http://106.ihuyi.com/\">\n<code>401</code>\n<msg>帐号不能为空</msg>\n<smsid>0</smsid>\n</SubmitResult>\n"
        );
    }

    #[test]
    fn json_forms() {
        let answer = Answer::Submit {
            code: 2,
            msg: "提交成功".into(),
            id: "16842079209571524017".into(),
        };
        assert_eq!(
            render(Product::Sms, &answer, true).1,
            r#"{"code":2,"msg":"提交成功","smsid":"16842079209571524017"}"#
        );
        let answer = Answer::GetNum {
            code: 2,
            msg: "查询成功".into(),
            num: 20023,
        };
        assert_eq!(
            render(Product::Voice, &answer, true).1,
            r#"{"code":2,"msg":"查询成功","num":20023}"#
        );
    }
}
