//! Reporting results: exit codes, the JSON object, human text on stderr.

use ihuyi::{Error, ErrorKind, Product};
use serde_json::{Value, json};

use crate::common::OutputArg;

/// The exit code of each outcome.
pub fn exit_code(error: Option<&Error>) -> i32 {
    match error.map(Error::kind) {
        None => 0,
        Some(ErrorKind::Api) => 1,
        Some(ErrorKind::Validation) => 2,
        Some(ErrorKind::Unreachable) => 3,
        Some(ErrorKind::OutcomeUnknown) => 4,
    }
}

/// Prints a success: `fields` are merged into the JSON object; `plain` goes to stdout in text
/// mode and `human` to stderr.
pub fn success(
    output: OutputArg,
    product: Product,
    fields: Value,
    plain: &str,
    human: &str,
) -> i32 {
    match output {
        OutputArg::Json => {
            let mut object = json!({ "ok": true, "product": product.name(), "error": null });
            merge(&mut object, fields);
            println!("{object}");
        }
        OutputArg::Text => {
            eprintln!("{human}");
            println!("{plain}");
        }
    }
    0
}

/// Prints a failure and returns its exit code. `empty` holds the result fields (`id` or `num`)
/// set to null.
pub fn failure(output: OutputArg, product: Product, error: &Error, empty: Value) -> i32 {
    let (code, msg, class) = match error {
        Error::Api(api) => (json!(api.code), api.msg.clone(), json!(api.class.as_str())),
        other => (Value::Null, other.to_string(), Value::Null),
    };
    match output {
        OutputArg::Json => {
            let mut object = json!({
                "ok": false,
                "product": product.name(),
                "code": code,
                "msg": msg,
                "class": class,
                "error": error.kind().as_str(),
                "detail": error.to_string(),
            });
            merge(&mut object, empty);
            println!("{object}");
        }
        OutputArg::Text => eprintln!("error ({}): {error}", error.kind()),
    }
    exit_code(Some(error))
}

fn merge(object: &mut Value, fields: Value) {
    if let (Some(target), Value::Object(source)) = (object.as_object_mut(), fields) {
        target.extend(source);
    }
}
